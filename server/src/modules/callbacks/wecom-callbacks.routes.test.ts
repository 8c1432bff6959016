import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

// WeCom's official sample values (token QDG6eK, receiveid wx5823bf96d3bd56c7), from the WXBizMsgCrypt samples
// and the "加解密方案说明" page. The server under test is a DingTalk deployment that only borrows these keys
// for its WeCom callback endpoint.
const officialKeys = {
  WECOM_CALLBACK_TOKEN: 'QDG6eK',
  WECOM_CALLBACK_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  WECOM_CORP_ID: 'wx5823bf96d3bd56c7',
};

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: officialKeys });
});

afterAll(async () => {
  await server.close();
});

describe('GET /api/callbacks/wecom', () => {
  it('returns the decrypted echostr of the official sample', async () => {
    const query = new URLSearchParams({
      msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
      timestamp: '1409659589',
      nonce: '263014780',
      echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    });
    const response = await fetch(`${server.url}/api/callbacks/wecom?${query}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('1616140317555161061');
  });

  it('rejects a wrong signature', async () => {
    const query = new URLSearchParams({
      msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd4',
      timestamp: '1409659589',
      nonce: '263014780',
      echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    });
    const response = await fetch(`${server.url}/api/callbacks/wecom?${query}`);
    expect(response.status).toBe(401);
  });
});

describe('POST /api/callbacks/wecom', () => {
  it('acknowledges the official sample message and records it', async () => {
    const encrypt =
      'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
    const body = `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
    const query = new URLSearchParams({ msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6', timestamp: '1409659813', nonce: '1372623149' });
    const response = await fetch(`${server.url}/api/callbacks/wecom?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');

    await new Promise((resolve) => setTimeout(resolve, 100));
    const events = await server.db.selectFrom('platform_event').selectAll().where('platform', '=', 'wecom').execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.event_type).toBe('text');
  });
});
