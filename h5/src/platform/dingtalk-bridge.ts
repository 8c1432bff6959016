import type { ClientConfig } from '@shared/api/auth';
import { z } from 'zod';
import { fetchJsapiConfig } from '../api/auth';
import { BridgeError, type AuthCode, type GeoPosition, type PlatformBridge } from './bridge';
import { pickImageFiles } from './browser-capabilities';

/** JSAPIs that need dd.config first; requestAuthCode and setTitle work without it. */
const SIGNED_JSAPIS = ['device.geolocation.get', 'biz.util.scan'];

const scanResultSchema = z.object({ text: z.string() });
const jsapiErrorSchema = z.object({ errorCode: z.union([z.string(), z.number()]).optional() }).passthrough();

type DingTalkCore = typeof import('dingtalk-jsapi/core');

let coreLoad: Promise<DingTalkCore> | null = null;
let jsapiConfigured: Promise<DingTalkCore> | null = null;

/** Load the SDK core with its platform adapters; the individual APIs are imported where used, to keep the chunk small. */
function loadCore(): Promise<DingTalkCore> {
  coreLoad ??= import('dingtalk-jsapi/entry/union').then((module) => module.default);
  return coreLoad;
}

/** Sign this page for the JSAPIs in SIGNED_JSAPIS, once per page load. A failure is retried on the next call. */
function ensureJsapiConfigured(): Promise<DingTalkCore> {
  jsapiConfigured ??= configureJsapi().catch((error: unknown) => {
    jsapiConfigured = null;
    throw error;
  });
  return jsapiConfigured;
}

async function configureJsapi(): Promise<DingTalkCore> {
  const dd = await loadCore();
  // The signature covers the URL without its fragment; hash routing keeps that URL fixed.
  const signed = await fetchJsapiConfig(location.href.split('#')[0] ?? location.href);

  await new Promise<void>((resolve, reject) => {
    dd.ready(resolve);
    dd.error((error: unknown) => {
      const code = jsapiErrorSchema.safeParse(error).data?.errorCode ?? '未知';
      reject(new BridgeError('failed', `钉钉接口鉴权失败（错误码 ${code}），请联系管理员检查应用的可信域名`, { cause: error }));
    });
    dd.config({
      agentId: signed.agentId,
      corpId: signed.corpId,
      timeStamp: signed.timeStamp,
      nonceStr: signed.nonceStr,
      signature: signed.signature,
      type: 0,
      jsApiList: SIGNED_JSAPIS,
    });
  });

  return dd;
}

export function createDingTalkBridge(config: ClientConfig): PlatformBridge {
  return {
    hostApp: 'dingtalk',

    async getAuthCode(): Promise<AuthCode> {
      await loadCore();
      const { default: requestAuthCode } = await import('dingtalk-jsapi/api/runtime/permission/requestAuthCode');

      try {
        const { code } = await requestAuthCode({ corpId: config.corpId });
        return { platform: 'dingtalk', code };
      } catch (error) {
        throw new BridgeError('failed', '无法从钉钉获取登录授权，请关闭页面后从工作台重新打开', { cause: error });
      }
    },

    async setTitle(title) {
      document.title = title;
      await loadCore();
      const { default: setTitle } = await import('dingtalk-jsapi/api/biz/navigation/setTitle');
      await setTitle({ title }).catch((error: unknown) => {
        // The document title already changed; the navigation bar keeps the old text, which is harmless.
        console.warn('dd.biz.navigation.setTitle failed', error);
      });
    },

    async getLocation(): Promise<GeoPosition> {
      await ensureJsapiConfigured();
      const { default: getGeolocation } = await import('dingtalk-jsapi/api/device/geolocation/get');

      try {
        // coordinate 1 = AMap (GCJ-02) coordinates; 200 m is the accuracy DingTalk recommends.
        const result = await getGeolocation({ targetAccuracy: 200, coordinate: 1, withReGeocode: true, useCache: false });
        return {
          latitude: result.latitude,
          longitude: result.longitude,
          accuracyMeters: result.accuracy,
          coordinateSystem: 'gcj02',
          address: result.address || null,
        };
      } catch (error) {
        throw new BridgeError('unavailable', '钉钉定位失败，请确认已允许钉钉使用位置信息', { cause: error });
      }
    },

    async scanBarcode() {
      await ensureJsapiConfigured();
      const { default: scan } = await import('dingtalk-jsapi/api/biz/util/scan');

      let result: unknown;
      try {
        result = await scan({ type: 'barCode' });
      } catch (error) {
        // DingTalk rejects both a cancelled scan and a failure the same way.
        throw new BridgeError('cancelled', '扫码已取消', { cause: error });
      }

      const parsed = scanResultSchema.safeParse(result);
      if (!parsed.success) throw new BridgeError('failed', '未能识别条码，请手动输入');
      return parsed.data.text;
    },

    chooseImage: pickImageFiles,
  };
}
