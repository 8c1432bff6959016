import { createHash, randomBytes } from 'node:crypto';

/**
 * JS-SDK configuration signature, identical on DingTalk (dd.config) and WeCom (ww.register / wx.config / agentConfig):
 * lowercase SHA-1 hex of `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` with raw, unescaped values.
 */

export interface JsapiSignatureInput {
  ticket: string;
  nonceStr: string;
  /** Seconds since the epoch; any value works as long as the page passes the same one to the SDK. */
  timestamp: number | string;
  /** The page URL as the browser shows it; the #fragment is removed here because the platforms sign without it. */
  url: string;
}

const NONCE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function computeJsapiSignature(input: JsapiSignatureInput): string {
  const url = stripFragment(input.url);
  const plain = `jsapi_ticket=${input.ticket}&noncestr=${input.nonceStr}&timestamp=${input.timestamp}&url=${url}`;
  return createHash('sha1').update(plain, 'utf8').digest('hex');
}

/** Creates a random 16-character alphanumeric nonce, the length both platforms' examples use. */
export function createJsapiNonce(): string {
  const bytes = randomBytes(16);
  let nonce = '';
  for (const byte of bytes) {
    nonce += NONCE_ALPHABET[byte % NONCE_ALPHABET.length];
  }
  return nonce;
}

export function stripFragment(url: string): string {
  const hashIndex = url.indexOf('#');
  return hashIndex === -1 ? url : url.slice(0, hashIndex);
}
