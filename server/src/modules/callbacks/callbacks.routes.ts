import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { AppError } from '../../http/app-error.js';
import { sha256Hex } from '../../lib/hash.js';
import { CallbackCryptoError, openCallbackMessage, sealCallbackMessage, type CallbackKeys } from '../../platform/callback-crypto.js';
import type { ModuleDeps } from '../module-deps.js';
import { decodeDingtalkEvent, decodeWecomEvent, type DecodedEvent } from './callback-events.js';
import { processEvent, recordEvent } from './callbacks.service.js';

const xmlParser = new XMLParser({ parseTagValue: false });
const urlCheckEventTypes = new Set(['check_url', 'check_create_suite_url', 'check_update_suite_url']);

/**
 * Event callbacks from the open platforms. Each request is verified (signature) and decrypted before its
 * content is read; pushes are acknowledged first and processed afterwards, because DingTalk expects an
 * answer within 1.5 s and WeCom within 5 s.
 */
export function registerCallbackRoutes(deps: ModuleDeps): void {
  const { router, registry, config } = deps;

  const dingtalkKeys = (): CallbackKeys => {
    if (!config.DINGTALK_CALLBACK_TOKEN || !config.DINGTALK_CALLBACK_AES_KEY || !config.DINGTALK_CALLBACK_OWNER_KEY) {
      throw new AppError(503, 'callbacks_not_configured', '未配置钉钉事件回调：请设置 DINGTALK_CALLBACK_TOKEN 和 DINGTALK_CALLBACK_AES_KEY');
    }
    return { token: config.DINGTALK_CALLBACK_TOKEN, aesKey: config.DINGTALK_CALLBACK_AES_KEY, ownerKey: config.DINGTALK_CALLBACK_OWNER_KEY };
  };
  const wecomKeys = (): CallbackKeys => {
    if (!config.WECOM_CALLBACK_TOKEN || !config.WECOM_CALLBACK_AES_KEY || !config.WECOM_CORP_ID) {
      throw new AppError(503, 'callbacks_not_configured', '未配置企业微信事件回调：请设置 WECOM_CALLBACK_TOKEN、WECOM_CALLBACK_AES_KEY 和 WECOM_CORP_ID');
    }
    return { token: config.WECOM_CALLBACK_TOKEN, aesKey: config.WECOM_CALLBACK_AES_KEY, ownerKey: config.WECOM_CORP_ID };
  };

  registry.registerPath({
    method: 'post',
    path: '/api/callbacks/dingtalk',
    summary: '钉钉事件回调（验签、解密后处理通讯录变更）',
    tags: ['回调'],
    responses: { 200: { description: '加密的 success 应答' }, 401: { description: '签名或解密失败' } },
  });
  router.post('/api/callbacks/dingtalk', async (ctx) => {
    const keys = dingtalkKeys();
    const query = ctx.query as Record<string, string | undefined>;
    const body = z.object({ encrypt: z.string().min(1) }).safeParse((ctx.request as { body?: unknown }).body);
    const received = {
      signature: query.msg_signature ?? query.signature ?? '',
      timestamp: query.timestamp ?? query.timeStamp ?? '',
      nonce: query.nonce ?? '',
      encrypt: body.success ? body.data.encrypt : '',
    };
    const plaintext = openOrReject(ctx, keys, received);
    const payload = JSON.parse(plaintext) as Record<string, unknown>;
    const eventType = String(payload.EventType ?? '');

    if (!urlCheckEventTypes.has(eventType)) {
      acceptEvent(deps, ctx, decodeDingtalkEvent(payload, sha256Hex(plaintext)));
    }
    const timestamp = String(Date.now());
    const reply = sealCallbackMessage(keys, 'success', timestamp, randomBytes(8).toString('hex'));
    ctx.body = { msg_signature: reply.signature, timeStamp: reply.timestamp, nonce: reply.nonce, encrypt: reply.encrypt };
  });

  registry.registerPath({
    method: 'get',
    path: '/api/callbacks/wecom',
    summary: '企业微信回调 URL 验证（返回解密后的 echostr）',
    tags: ['回调'],
    responses: { 200: { description: '解密后的 echostr' }, 401: { description: '签名或解密失败' } },
  });
  router.get('/api/callbacks/wecom', (ctx) => {
    const keys = wecomKeys();
    const query = ctx.query as Record<string, string | undefined>;
    const plaintext = openOrReject(ctx, keys, {
      signature: query.msg_signature ?? '',
      timestamp: query.timestamp ?? '',
      nonce: query.nonce ?? '',
      encrypt: query.echostr ?? '',
    });
    ctx.type = 'text/plain';
    ctx.body = plaintext;
  });

  registry.registerPath({
    method: 'post',
    path: '/api/callbacks/wecom',
    summary: '企业微信事件回调（XML，验签、解密后处理通讯录变更）',
    tags: ['回调'],
    responses: { 200: { description: '已接收' }, 401: { description: '签名或解密失败' } },
  });
  router.post('/api/callbacks/wecom', (ctx) => {
    const keys = wecomKeys();
    const query = ctx.query as Record<string, string | undefined>;
    const raw = String((ctx.request as { rawBody?: string }).rawBody ?? '');
    const envelope = safeParseXml(raw);
    const plaintext = openOrReject(ctx, keys, {
      signature: query.msg_signature ?? '',
      timestamp: query.timestamp ?? '',
      nonce: query.nonce ?? '',
      encrypt: String(envelope?.Encrypt ?? ''),
    });
    const message = safeParseXml(plaintext);
    if (!message) throw new AppError(400, 'invalid_callback_body', '回调内容不是有效的 XML');
    acceptEvent(deps, ctx, decodeWecomEvent(message));
    ctx.type = 'text/plain';
    ctx.body = '';
  });
}

function openOrReject(ctx: Context, keys: CallbackKeys, received: { signature: string; timestamp: string; nonce: string; encrypt: string }): string {
  if (!received.signature || !received.timestamp || !received.nonce || !received.encrypt) {
    throw new AppError(400, 'invalid_callback_request', '回调请求缺少 msg_signature、timestamp、nonce 或加密内容');
  }
  try {
    return openCallbackMessage(keys, received);
  } catch (error) {
    if (error instanceof CallbackCryptoError) {
      (ctx.state as { log: { warn: (obj: object, msg: string) => void } }).log.warn({ reason: error.code }, 'callback rejected');
      throw new AppError(401, error.code === 'invalid_signature' ? 'invalid_signature' : 'invalid_callback_encryption', '回调签名或加密校验失败');
    }
    throw error;
  }
}

function safeParseXml(text: string): Record<string, unknown> | undefined {
  try {
    const parsed = xmlParser.parse(text) as { xml?: Record<string, unknown> };
    return parsed.xml;
  } catch {
    return undefined;
  }
}

/** Records the delivery, then processes a new one after the response is sent. */
function acceptEvent(deps: ModuleDeps, ctx: Context, decoded: DecodedEvent): void {
  const log = deps.logger.child({ requestId: (ctx.state as { requestId?: string }).requestId, eventId: decoded.eventId, eventType: decoded.eventType });
  ctx.res.once('finish', () => {
    void (async () => {
      try {
        if (!(await recordEvent(deps.db, decoded, deps.clock.now()))) {
          log.info('duplicate callback delivery ignored');
          return;
        }
        await processEvent(deps, decoded);
        log.info('callback event processed');
      } catch (error) {
        log.error({ err: error }, 'callback event processing failed');
      }
    })();
  });
}
