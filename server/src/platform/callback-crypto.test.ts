import { describe, expect, it } from 'vitest';
import {
  CallbackCryptoError,
  computeCallbackSignature,
  decryptCallbackMessage,
  encryptCallbackMessage,
  openCallbackMessage,
  sealCallbackMessage,
  verifyCallbackSignature,
} from './callback-crypto.js';

// Official DingTalk vector: doc "回调事件消息体加解密" and open-dingtalk/DingTalk-Callback-Crypto's Rust test.
const dingtalkSuiteCheck = {
  token: '123456',
  aesKey: '4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij',
  ownerKey: 'suite4xxxxxxxxxxxxxxx',
  timestamp: '1445827045067',
  nonce: 'nEXhMP4r',
  signature: '5a65ceeef9aab2d149439f82dc191dd6c5cbe2c0',
  encrypt:
    '1a3NBxmCFwkCJvfoQ7WhJHB+iX3qHPsc9JbaDznE1i03peOk1LaOQoRz3+nlyGNhwmwJ3vDMG+OzrHMeiZI7gTRWVdUBmfxjZ8Ej23JVYa9VrYeJ5as7XM/ZpulX8NEQis44w53h1qAgnC3PRzM7Zc/D6Ibr0rgUathB6zRHP8PYrfgnNOS9PhSBdHlegK+AGGanfwjXuQ9+0pZcy0w9lQ==',
  plaintext: '{"EventType":"check_create_suite_url","Random":"LPIdSnlF","TestSuiteKey":"suite4xxxxxxxxxxxxxxx"}',
  random: 'hU3bEfGZZewzhG5a',
};

// Official DingTalk vector: the encrypted "success" reply in DingTalkCrypto.go and DingTalkEncryptor.cs.
const dingtalkSuccessReply = {
  token: 'tokenxxxx',
  aesKey: 'o1w0aum42yaptlz8alnhwikjd3jenzt9cb9wmzptgus',
  ownerKey: 'dingxxxxxx',
  timestamp: '1605695694141',
  nonce: 'WelUQl6bCqcBa2fM',
  signature: 'f36f4ba5337d426c7d4bca0dbcb06b3ddc1388fc',
  encrypt: 'X1VSe9cTJUMZu60d3kyLYTrBq5578ZRJtteU94wG0Q4Uk6E/wQYeJRIC0/UFW5Wkya1Ihz9oXAdLlyC9TRaqsQ==',
  plaintext: 'success',
  random: 'WelUQl6bCqcBa2fM',
};

// Official WeCom vectors: doc "加解密方案说明" (path/91144) and the Tencent sample callback/Sample.php.
const wecomKeys = {
  token: 'QDG6eK',
  aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  ownerKey: 'wx5823bf96d3bd56c7',
};

const wecomUrlCheck = {
  ...wecomKeys,
  timestamp: '1409659589',
  nonce: '263014780',
  signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  encrypt: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  plaintext: '1616140317555161061',
  random: 'c41b64491c2468d0',
};

const wecomTextMessage = {
  ...wecomKeys,
  timestamp: '1409659813',
  nonce: '1372623149',
  signature: '477715d11cdb4164915debcba66cb864d751f3e6',
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
  plaintext: [
    '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>',
    '<FromUserName><![CDATA[mycreate]]></FromUserName>',
    '<CreateTime>1409659813</CreateTime>',
    '<MsgType><![CDATA[text]]></MsgType>',
    '<Content><![CDATA[hello]]></Content>',
    '<MsgId>4561255354251345929</MsgId>',
    '<AgentID>218</AgentID>',
    '</xml>',
  ].join('\n'),
  random: '0960688932c47ef1',
};

const officialVectors = [
  ['DingTalk suite URL check (D-V1)', dingtalkSuiteCheck],
  ['DingTalk success reply (D-V3)', dingtalkSuccessReply],
  ['WeCom URL check (W-V1)', wecomUrlCheck],
  ['WeCom text message (W-V2)', wecomTextMessage],
] as const;

describe('official callback vectors', () => {
  it.each(officialVectors)('%s: signature matches', (_name, vector) => {
    expect(computeCallbackSignature(vector.token, vector.timestamp, vector.nonce, vector.encrypt)).toBe(vector.signature);
    expect(verifyCallbackSignature(vector.token, vector.timestamp, vector.nonce, vector.encrypt, vector.signature)).toBe(true);
  });

  it.each(officialVectors)('%s: decrypts to the plaintext', (_name, vector) => {
    expect(decryptCallbackMessage(vector.aesKey, vector.ownerKey, vector.encrypt)).toBe(vector.plaintext);
  });

  it.each(officialVectors)('%s: re-encrypts byte for byte', (_name, vector) => {
    expect(encryptCallbackMessage(vector.aesKey, vector.ownerKey, vector.plaintext, vector.random)).toBe(vector.encrypt);
  });

  it('W-V2 plaintext is 284 bytes', () => {
    expect(Buffer.byteLength(wecomTextMessage.plaintext, 'utf8')).toBe(284);
  });
});

describe('encryptCallbackMessage', () => {
  it('round-trips Chinese text with a random prefix', () => {
    const message = JSON.stringify({ EventType: 'bpms_task_change', title: '合同审批：江南文艺出版社 × 新华书店' });
    const first = encryptCallbackMessage(wecomKeys.aesKey, 'dingdemoappkey', message);
    const second = encryptCallbackMessage(wecomKeys.aesKey, 'dingdemoappkey', message);

    expect(first).not.toBe(second);
    expect(decryptCallbackMessage(wecomKeys.aesKey, 'dingdemoappkey', first)).toBe(message);
    expect(decryptCallbackMessage(wecomKeys.aesKey, 'dingdemoappkey', second)).toBe(message);
  });

  it('pads to 32-byte blocks', () => {
    // 16 + 4 + 7 ("success") + 10 ("dingxxxxxx") = 37 bytes, padded to 64.
    const encrypt = encryptCallbackMessage(dingtalkSuccessReply.aesKey, 'dingxxxxxx', 'success');
    expect(Buffer.from(encrypt, 'base64').length).toBe(64);
  });

  it('rejects a random prefix of the wrong length', () => {
    expect(() => encryptCallbackMessage(wecomKeys.aesKey, 'corp', 'x', 'short')).toThrow(CallbackCryptoError);
  });

  it('rejects a malformed EncodingAESKey', () => {
    expect(() => encryptCallbackMessage('too-short', 'corp', 'x')).toThrow(/43 letters or digits/);
  });
});

describe('decryptCallbackMessage', () => {
  it('rejects a wrong owner key', () => {
    const attempt = () => decryptCallbackMessage(dingtalkSuiteCheck.aesKey, 'dingotherapp', dingtalkSuiteCheck.encrypt);

    expect(attempt).toThrow(CallbackCryptoError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'owner_key_mismatch' }));
  });

  it('rejects a ciphertext of the wrong size', () => {
    const attempt = () => decryptCallbackMessage(wecomKeys.aesKey, wecomKeys.ownerKey, Buffer.from('abc').toString('base64'));
    expect(attempt).toThrow(expect.objectContaining({ code: 'invalid_ciphertext' }));
  });

  it('rejects a ciphertext made with another key', () => {
    const encrypt = encryptCallbackMessage(dingtalkSuiteCheck.aesKey, wecomKeys.ownerKey, 'hello');
    const attempt = () => decryptCallbackMessage(wecomKeys.aesKey, wecomKeys.ownerKey, encrypt);
    expect(attempt).toThrow(CallbackCryptoError);
  });
});

describe('verifyCallbackSignature', () => {
  it('rejects a changed signature', () => {
    const { token, timestamp, nonce, encrypt } = wecomTextMessage;
    const tampered = `${wecomTextMessage.signature.slice(0, -1)}0`;
    expect(verifyCallbackSignature(token, timestamp, nonce, encrypt, tampered)).toBe(false);
  });

  it('rejects a signature of another length', () => {
    const { token, timestamp, nonce, encrypt } = wecomTextMessage;
    expect(verifyCallbackSignature(token, timestamp, nonce, encrypt, 'abc')).toBe(false);
  });

  it('rejects a wrong token', () => {
    const { timestamp, nonce, encrypt, signature } = wecomTextMessage;
    expect(verifyCallbackSignature('wrongtoken', timestamp, nonce, encrypt, signature)).toBe(false);
  });

  it('accepts an uppercase signature', () => {
    const { token, timestamp, nonce, encrypt, signature } = wecomTextMessage;
    expect(verifyCallbackSignature(token, timestamp, nonce, encrypt, signature.toUpperCase())).toBe(true);
  });
});

describe('sealCallbackMessage and openCallbackMessage', () => {
  const keys = { token: 'demo-token', aesKey: dingtalkSuccessReply.aesKey, ownerKey: 'dingdemoappkey' };

  it('round-trip a message', () => {
    const sealed = sealCallbackMessage(keys, '{"EventType":"check_url"}', '1700000000000', 'n0nce123');
    expect(openCallbackMessage(keys, sealed)).toBe('{"EventType":"check_url"}');
  });

  it('reject a wrong token before decrypting', () => {
    const sealed = sealCallbackMessage(keys, 'success', '1700000000000', 'n0nce123');
    const attempt = () => openCallbackMessage({ ...keys, token: 'other-token' }, sealed);
    expect(attempt).toThrow(expect.objectContaining({ code: 'invalid_signature' }));
  });

  it('reject a wrong owner key', () => {
    const sealed = sealCallbackMessage(keys, 'success', '1700000000000', 'n0nce123');
    const attempt = () => openCallbackMessage({ ...keys, ownerKey: 'dingother' }, sealed);
    expect(attempt).toThrow(expect.objectContaining({ code: 'owner_key_mismatch' }));
  });
});
