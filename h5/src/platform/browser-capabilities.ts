import { BridgeError, type ChooseImageOptions, type GeoPosition } from './bridge';

const LOCATION_TIMEOUT_MS = 15_000;

/** Read the position from the Geolocation API. Browsers only allow it on https or localhost. */
export function getBrowserLocation(): Promise<GeoPosition> {
  if (!('geolocation' in navigator)) {
    return Promise.reject(new BridgeError('unavailable', '当前浏览器不支持定位，请在钉钉或企业微信中打开'));
  }

  return new Promise((resolve, reject) => {
    navigator.geolocation.getCurrentPosition(
      (position) =>
        resolve({
          latitude: position.coords.latitude,
          longitude: position.coords.longitude,
          accuracyMeters: position.coords.accuracy,
          coordinateSystem: 'wgs84',
          address: null,
        }),
      (error) => reject(toLocationError(error)),
      { enableHighAccuracy: true, timeout: LOCATION_TIMEOUT_MS, maximumAge: 0 },
    );
  });
}

function toLocationError(error: GeolocationPositionError): BridgeError {
  if (error.code === error.PERMISSION_DENIED) {
    return new BridgeError('permission_denied', '没有定位权限，请在系统设置中允许本应用使用位置信息', { cause: error });
  }
  if (error.code === error.TIMEOUT) {
    return new BridgeError('timeout', '定位超时，请到信号较好的地方重试', { cause: error });
  }
  return new BridgeError('unavailable', '暂时无法获取位置，请检查是否开启了定位服务', { cause: error });
}

/**
 * Open the system picker through a hidden file input. Both chat apps' webviews support this, and it
 * yields File objects that can be uploaded to our server directly, unlike their native pickers.
 */
export function pickImageFiles(options: ChooseImageOptions = {}): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    input.multiple = options.multiple ?? false;
    if (options.camera) input.setAttribute('capture', 'environment');
    input.style.display = 'none';

    const finish = (files: File[]) => {
      input.remove();
      resolve(files);
    };
    input.addEventListener('change', () => finish(Array.from(input.files ?? [])));
    // NOTE: the `cancel` event exists in Chromium 113+ and Safari 16.4+. In older webviews a
    // cancelled picker leaves this promise pending, so callers must not block the page on it.
    input.addEventListener('cancel', () => finish([]));

    document.body.append(input);
    input.click();
  });
}
