import type { ClientConfig } from '@shared/api/auth';
import { fetchJsapiConfig } from '../api/auth';
import { BridgeError, type AuthCode, type GeoPosition, type PlatformBridge } from './bridge';
import { pickImageFiles } from './browser-capabilities';
import { takeOAuthCode, redirectToOAuth } from './wecom-oauth';

type WeComSdk = typeof import('@wecom/jssdk');

const JSAPI_LIST = ['getLocation', 'scanQRCode'];

let sdkRegistered: Promise<WeComSdk> | null = null;

/**
 * Load @wecom/jssdk and register the page once. The SDK calls getConfigSignature itself, again
 * whenever the URL (without #fragment) changes; with hash routing it stays the same.
 */
function loadRegisteredSdk(config: ClientConfig): Promise<WeComSdk> {
  sdkRegistered ??= import('@wecom/jssdk').then((ww) => {
    ww.register({
      corpId: config.corpId,
      jsApiList: JSAPI_LIST,
      async getConfigSignature(url) {
        const signed = await fetchJsapiConfig(url);
        return { timestamp: signed.timeStamp, nonceStr: signed.nonceStr, signature: signed.signature };
      },
    });
    return ww;
  });
  return sdkRegistered;
}

export function createWeComBridge(config: ClientConfig): PlatformBridge {
  return {
    hostApp: 'wecom',

    /**
     * WeCom hands out codes only through the OAuth redirect, so a renewal reloads the page and
     * unsaved input is lost; DingTalk and the demo renew without leaving the page.
     */
    async getAuthCode(): Promise<AuthCode> {
      const code = takeOAuthCode();
      if (code !== null) return { platform: 'wecom', code };

      redirectToOAuth(config);
      return new Promise<never>(() => {
        // Never settles: the browser is leaving for the OAuth page.
      });
    },

    async setTitle(title) {
      // WeCom's navigation bar shows document.title.
      document.title = title;
    },

    async getLocation(): Promise<GeoPosition> {
      const ww = await loadRegisteredSdk(config);
      try {
        const result = await ww.getLocation({ type: ww.LocationType.gcj02 });
        return {
          latitude: result.latitude,
          longitude: result.longitude,
          accuracyMeters: result.accuracy,
          coordinateSystem: 'gcj02',
          address: null,
        };
      } catch (error) {
        throw new BridgeError('unavailable', '企业微信定位失败，请确认已允许企业微信使用位置信息', { cause: error });
      }
    },

    async scanBarcode() {
      const ww = await loadRegisteredSdk(config);

      let resultText: string | undefined;
      try {
        const result = await ww.scanQRCode({ needResult: true, scanType: [ww.ScanQRCodeType.barCode, ww.ScanQRCodeType.qrCode] });
        resultText = result.resultStr;
      } catch (error) {
        throw new BridgeError('cancelled', '扫码已取消', { cause: error });
      }

      if (!resultText) throw new BridgeError('failed', '未能识别条码，请手动输入');
      return stripBarcodeFormat(resultText);
    },

    chooseImage: pickImageFiles,
  };
}

/**
 * NOTE: the WeChat JS-SDK prefixes barcode results with their format ("EAN_13,9787…"). WeCom is
 * assumed to do the same; a result without such a prefix passes through unchanged.
 */
function stripBarcodeFormat(resultText: string): string {
  const match = /^[A-Z0-9_]+,(.+)$/.exec(resultText);
  return match?.[1] ?? resultText;
}
