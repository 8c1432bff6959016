import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Event callback encryption shared by DingTalk (DingCallbackCrypto) and WeCom (WXBizMsgCrypt).
 *
 * Both use AES-256-CBC with key = base64(EncodingAESKey + '=') and IV = the first 16 bytes of the key.
 * The plaintext is: 16 random bytes | 4-byte big-endian message length | message (UTF-8) | owner key.
 * The owner key is the DingTalk AppKey (or corpId / SuiteKey) and the WeCom corpId (receiveid).
 * Both pad with PKCS#7 to 32-byte blocks, not AES's 16, so the library padding is switched off.
 */

const PADDING_BLOCK_BYTES = 32;
const RANDOM_PREFIX_BYTES = 16;
const LENGTH_FIELD_BYTES = 4;
const HEADER_BYTES = RANDOM_PREFIX_BYTES + LENGTH_FIELD_BYTES;
const ENCODING_AES_KEY_PATTERN = /^[A-Za-z0-9]{43}$/;

export type CallbackCryptoErrorCode =
  | 'invalid_aes_key'
  | 'invalid_random'
  | 'invalid_signature'
  | 'invalid_ciphertext'
  | 'owner_key_mismatch';

export class CallbackCryptoError extends Error {
  constructor(
    readonly code: CallbackCryptoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CallbackCryptoError';
  }
}

/** SHA-1 hex of token, timestamp, nonce and encrypt, sorted as plain strings and concatenated. */
export function computeCallbackSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  const joined = [token, timestamp, nonce, encrypt].sort().join('');
  return createHash('sha1').update(joined, 'utf8').digest('hex');
}

/** Compares the received msg_signature with the expected one in constant time. */
export function verifyCallbackSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  signature: string,
): boolean {
  const expected = Buffer.from(computeCallbackSignature(token, timestamp, nonce, encrypt), 'utf8');
  const received = Buffer.from(signature.toLowerCase(), 'utf8');
  if (received.length !== expected.length) {
    return false;
  }
  return timingSafeEqual(expected, received);
}

/**
 * Encrypts a callback message and returns the base64 ciphertext.
 * `random` is the 16-byte prefix. Tests pass the one recovered from an official vector, and callers leave it out.
 */
export function encryptCallbackMessage(
  aesKey: string,
  ownerKey: string,
  message: string,
  random: Buffer | string = randomBytes(RANDOM_PREFIX_BYTES),
): string {
  const key = toKeyBytes(aesKey);
  const prefix = typeof random === 'string' ? Buffer.from(random, 'utf8') : random;
  if (prefix.length !== RANDOM_PREFIX_BYTES) {
    throw new CallbackCryptoError('invalid_random', `random prefix must be ${RANDOM_PREFIX_BYTES} bytes, got ${prefix.length}`);
  }

  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(LENGTH_FIELD_BYTES);
  length.writeUInt32BE(body.length, 0);
  const plaintext = addPadding(Buffer.concat([prefix, length, body, Buffer.from(ownerKey, 'utf8')]));

  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plaintext), cipher.final()]).toString('base64');
}

/**
 * Decrypts a callback ciphertext and returns the message.
 * Throws CallbackCryptoError 'owner_key_mismatch' when the trailing owner key is not `expectedOwnerKey`:
 * the message was then encrypted for another app or corp with the same key.
 */
export function decryptCallbackMessage(aesKey: string, expectedOwnerKey: string, encrypt: string): string {
  const key = toKeyBytes(aesKey);
  const ciphertext = Buffer.from(encrypt, 'base64');
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw new CallbackCryptoError('invalid_ciphertext', `ciphertext must be a non-empty multiple of 16 bytes, got ${ciphertext.length}`);
  }

  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plaintext = removePadding(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  if (plaintext.length < HEADER_BYTES) {
    throw new CallbackCryptoError('invalid_ciphertext', 'decrypted payload is shorter than its 20-byte header; check the EncodingAESKey');
  }

  const messageLength = plaintext.readUInt32BE(RANDOM_PREFIX_BYTES);
  const messageEnd = HEADER_BYTES + messageLength;
  if (messageEnd > plaintext.length) {
    throw new CallbackCryptoError(
      'invalid_ciphertext',
      `decrypted length field ${messageLength} exceeds the payload; check the EncodingAESKey`,
    );
  }

  const ownerKey = plaintext.subarray(messageEnd).toString('utf8');
  if (ownerKey !== expectedOwnerKey) {
    throw new CallbackCryptoError(
      'owner_key_mismatch',
      `callback was encrypted for owner "${ownerKey}", expected "${expectedOwnerKey}"; check the AppKey or corpId configured for callbacks`,
    );
  }
  return plaintext.subarray(HEADER_BYTES, messageEnd).toString('utf8');
}

export interface SealedCallbackMessage {
  encrypt: string;
  signature: string;
  timestamp: string;
  nonce: string;
}

export interface CallbackKeys {
  token: string;
  aesKey: string;
  ownerKey: string;
}

/** Encrypts and signs a message: a reply to DingTalk ("success"), or an event pushed by the fake platform. */
export function sealCallbackMessage(keys: CallbackKeys, message: string, timestamp: string, nonce: string): SealedCallbackMessage {
  const encrypt = encryptCallbackMessage(keys.aesKey, keys.ownerKey, message);
  const signature = computeCallbackSignature(keys.token, timestamp, nonce, encrypt);
  return { encrypt, signature, timestamp, nonce };
}

/** Verifies the signature of a received callback, then decrypts it. Throws CallbackCryptoError on either failure. */
export function openCallbackMessage(keys: CallbackKeys, received: SealedCallbackMessage): string {
  if (!verifyCallbackSignature(keys.token, received.timestamp, received.nonce, received.encrypt, received.signature)) {
    throw new CallbackCryptoError('invalid_signature', 'callback signature is invalid: check the callback token configured for this app');
  }
  return decryptCallbackMessage(keys.aesKey, keys.ownerKey, received.encrypt);
}

function toKeyBytes(aesKey: string): Buffer {
  // The message names only the length: the key itself is a secret.
  if (!ENCODING_AES_KEY_PATTERN.test(aesKey)) {
    throw new CallbackCryptoError(
      'invalid_aes_key',
      `EncodingAESKey must be 43 letters or digits, got ${aesKey.length} characters; copy it again from the developer console`,
    );
  }
  return Buffer.from(`${aesKey}=`, 'base64');
}

function addPadding(data: Buffer): Buffer {
  const padLength = PADDING_BLOCK_BYTES - (data.length % PADDING_BLOCK_BYTES);
  return Buffer.concat([data, Buffer.alloc(padLength, padLength)]);
}

/** Removes PKCS#7 padding. Like the official libraries, it treats a last byte outside 1..32 as no padding. */
function removePadding(data: Buffer): Buffer {
  const padLength = data[data.length - 1] ?? 0;
  if (padLength < 1 || padLength > PADDING_BLOCK_BYTES) {
    return data;
  }
  return data.subarray(0, data.length - padLength);
}
