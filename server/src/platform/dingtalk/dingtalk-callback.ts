import { randomBytes } from 'node:crypto';
import { sealCallbackMessage, type CallbackKeys } from '../callback-crypto.js';

/** The JSON body DingTalk expects in reply to an HTTP event callback, including the check_url event. */
export interface DingTalkCallbackReply {
  msg_signature: string;
  timeStamp: string;
  nonce: string;
  encrypt: string;
}

/**
 * Builds the reply that acknowledges a DingTalk callback: the encrypted literal "success". Without it
 * DingTalk retries the event, and URL registration fails with errcode 71009.
 */
export function buildDingTalkCallbackReply(keys: CallbackKeys, now: Date = new Date()): DingTalkCallbackReply {
  const nonce = randomBytes(8).toString('hex');
  const sealed = sealCallbackMessage(keys, 'success', String(now.getTime()), nonce);
  return { msg_signature: sealed.signature, timeStamp: sealed.timestamp, nonce: sealed.nonce, encrypt: sealed.encrypt };
}
