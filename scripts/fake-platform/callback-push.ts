import { randomBytes, randomInt } from 'node:crypto';
import {
  computeCallbackSignature,
  encryptCallbackMessage,
  openCallbackMessage,
  sealCallbackMessage,
  type CallbackKeys,
} from '../../server/src/platform/callback-crypto.js';
import { buildEncryptedEnvelope, buildXml } from '../../server/src/platform/wecom/wecom-callback-xml.js';
import type { FakePlatformName } from './state.js';

/** Signs, encrypts and delivers an event to the server's callback URL the way each platform does. */

export interface CallbackPush {
  platform: FakePlatformName;
  /** DingTalk: an object sent as JSON. WeCom: an object of flat fields turned into XML, or ready XML text. */
  event: unknown;
  targetUrl: URL;
  keys: CallbackKeys;
  /** WeCom only: send the GET URL check with an echostr instead of an event. */
  urlVerification: boolean;
  /** AgentID placed in the WeCom envelope. */
  wecomAgentId: string;
}

export interface CallbackPushResult {
  status: number;
  body: unknown;
  /** Whether the target's response is what the platform accepts: the encrypted "success" or the echostr plaintext. */
  accepted: boolean;
  problem: string | null;
}

/** WeCom waits 5 seconds for a response before it retries. */
const PUSH_TIMEOUT_MS = 5000;

export async function pushCallback(push: CallbackPush): Promise<CallbackPushResult> {
  if (push.platform === 'dingtalk') {
    return pushDingTalkEvent(push);
  }
  return push.urlVerification ? verifyWeComUrl(push) : pushWeComEvent(push);
}

async function pushDingTalkEvent(push: CallbackPush): Promise<CallbackPushResult> {
  const message = typeof push.event === 'string' ? push.event : JSON.stringify(push.event);
  const sealed = sealCallbackMessage(push.keys, message, String(Date.now()), randomNonce());
  const url = withQuery(push.targetUrl, { msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce });

  const response = await send(url, 'POST', JSON.stringify({ encrypt: sealed.encrypt }), 'application/json');
  return { ...response, ...checkDingTalkReply(push.keys, response.body) };
}

/** DingTalk accepts `{msg_signature, timeStamp, nonce, encrypt}` whose encrypt decrypts to "success". */
function checkDingTalkReply(keys: CallbackKeys, received: unknown): { accepted: boolean; problem: string | null } {
  const body = typeof received === 'string' ? parseJsonOrNull(received) : received;
  if (typeof body !== 'object' || body === null) {
    return { accepted: false, problem: 'reply is not a JSON object' };
  }
  const { msg_signature: signature, timeStamp: timestamp, nonce, encrypt } = body as Record<string, unknown>;
  if (typeof signature !== 'string' || typeof timestamp !== 'string' || typeof nonce !== 'string' || typeof encrypt !== 'string') {
    return { accepted: false, problem: 'reply lacks msg_signature, timeStamp, nonce or encrypt as strings' };
  }

  try {
    const message = openCallbackMessage(keys, { signature, timestamp, nonce, encrypt });
    return message === 'success' ? { accepted: true, problem: null } : { accepted: false, problem: `reply decrypts to "${message}", not "success"` };
  } catch (error) {
    return { accepted: false, problem: `reply cannot be opened: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function pushWeComEvent(push: CallbackPush): Promise<CallbackPushResult> {
  const createTime = Math.floor(Date.now() / 1000);
  const message = typeof push.event === 'string' ? push.event : buildXml({ ToUserName: push.keys.ownerKey, CreateTime: createTime, ...toXmlFields(push.event) });
  const sealed = sealCallbackMessage(push.keys, message, String(createTime), randomNonce());
  const url = withQuery(push.targetUrl, { msg_signature: sealed.signature, timestamp: sealed.timestamp, nonce: sealed.nonce });

  const envelope = buildEncryptedEnvelope(push.keys.ownerKey, push.wecomAgentId, sealed.encrypt);
  const response = await send(url, 'POST', envelope, 'text/xml');
  // WeCom accepts any HTTP 200 response, an empty body included (no passive reply).
  const accepted = response.status === 200;
  return { ...response, accepted, problem: accepted ? null : `target returned HTTP ${response.status}` };
}

/** Runs the URL check: a GET with an encrypted echostr, which the target must return decrypted and nothing else. */
async function verifyWeComUrl(push: CallbackPush): Promise<CallbackPushResult> {
  const plaintext = String(randomInt(1, 2 ** 47)) + String(randomInt(0, 10_000)).padStart(4, '0');
  const echostr = encryptCallbackMessage(push.keys.aesKey, push.keys.ownerKey, plaintext);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = randomNonce();
  const signature = computeCallbackSignature(push.keys.token, timestamp, nonce, echostr);
  const url = withQuery(push.targetUrl, { msg_signature: signature, timestamp, nonce, echostr });

  const response = await send(url, 'GET');
  const accepted = response.status === 200 && response.body === plaintext;
  return { ...response, accepted, problem: accepted ? null : `target must answer HTTP 200 with exactly "${plaintext}"` };
}

async function send(url: URL, method: 'GET' | 'POST', body?: string, contentType?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method,
    headers: contentType ? { 'content-type': contentType } : {},
    body,
    signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
  });
  const text = await response.text();
  // Only a JSON content type is parsed: the WeCom URL check answers digits, which must stay a string.
  if (!(response.headers.get('content-type') ?? '').includes('json')) {
    return { status: response.status, body: text };
  }
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

function withQuery(target: URL, params: Record<string, string>): URL {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) {
    url.searchParams.set(name, value);
  }
  return url;
}

function toXmlFields(event: unknown): Record<string, string | number> {
  const fields: Record<string, string | number> = {};
  if (typeof event !== 'object' || event === null) {
    return fields;
  }
  for (const [name, value] of Object.entries(event)) {
    if (typeof value === 'number' || typeof value === 'string') {
      fields[name] = value;
    } else {
      fields[name] = JSON.stringify(value);
    }
  }
  return fields;
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function randomNonce(): string {
  return randomBytes(6).toString('base64url');
}
