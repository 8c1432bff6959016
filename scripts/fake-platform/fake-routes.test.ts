import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { roleSchema } from '../../shared/src/roles.js';
import { openCallbackMessage } from '../../server/src/platform/callback-crypto.js';
import { buildDingTalkCallbackReply } from '../../server/src/platform/dingtalk/dingtalk-callback.js';
import { readXmlFields } from '../../server/src/platform/wecom/wecom-callback-xml.js';
import { startFakePlatform, type FakePlatform } from './server.js';

const credentials = {
  dingtalk: { corpId: 'dingtestcorp01', appKey: 'dingtestappkey01', appSecret: 'test-secret', agentId: '880001' },
  wecom: { corpId: 'wwtestcorp01', secret: 'test-secret', agentId: '1000002' },
};

const dingtalkKeys = { token: 'dingCallbackToken', aesKey: 'k3Hq8ZpW2mN5vR7tY1uB4cE6gJ9dL0aS2fX5hK8nQ3w', ownerKey: 'dingtestappkey01' };
const wecomKeys = { token: 'wecomCallbackToken', aesKey: 'p9Lm2Qx7Rt4Vn6Bz1Kc8Hs3Jd5Fg0Wy2Ae4Uo7Ti9Er', ownerKey: 'wwtestcorp01' };

/** What the callback target received, decrypted with the same checks the server performs. */
interface Received {
  method: string;
  plaintext: string;
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A stand-in for the server's callback routes: DingTalk at /dingtalk, WeCom at /wecom, a broken one at /broken. */
function startCallbackTarget(received: Received[]): Promise<Server> {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const query = (name: string) => url.searchParams.get(name) ?? '';
    const body = await readText(request);

    if (url.pathname === '/dingtalk') {
      const { encrypt } = JSON.parse(body) as { encrypt: string };
      const plaintext = openCallbackMessage(dingtalkKeys, { signature: query('msg_signature'), timestamp: query('timestamp'), nonce: query('nonce'), encrypt });
      received.push({ method: 'POST', plaintext });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(buildDingTalkCallbackReply(dingtalkKeys)));
      return;
    }

    if (url.pathname === '/wecom') {
      const encrypt = request.method === 'GET' ? query('echostr') : (readXmlFields(body).Encrypt ?? '');
      const plaintext = openCallbackMessage(wecomKeys, { signature: query('msg_signature'), timestamp: query('timestamp'), nonce: query('nonce'), encrypt });
      received.push({ method: request.method ?? '', plaintext });
      response.writeHead(200, { 'content-type': 'text/plain' }).end(request.method === 'GET' ? plaintext : '');
      return;
    }

    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function post(fake: FakePlatform, path: string, body: unknown) {
  const response = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('fake platform control routes', () => {
  let fake: FakePlatform;
  let target: Server;
  let targetUrl: string;
  const received: Received[] = [];

  beforeAll(async () => {
    fake = await startFakePlatform({ port: 0, host: '127.0.0.1', ...credentials });
    target = await startCallbackTarget(received);
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
    await fake.close();
  });

  beforeEach(() => {
    received.length = 0;
    fake.state.reset();
  });

  describe('GET /__fake/users', () => {
    it('lists the demo organisation with every role', async () => {
      const response = await fetch(`${fake.url}/__fake/users`);
      const { users } = (await response.json()) as { users: { userid: string; departments: string[]; roles: string[] }[] };
      const roles = new Set(users.flatMap((user) => user.roles));

      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(users.length).toBeGreaterThanOrEqual(25);
      expect([...roles].sort()).toEqual([...roleSchema.options].sort());
      expect(users.find((user) => user.userid === 'zhangwei01')?.departments).toEqual(['华东片区']);
    });

    it('answers a CORS preflight', async () => {
      const response = await fetch(`${fake.url}/__fake/auth-codes`, { method: 'OPTIONS' });

      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    });

    it('drops a user who left', async () => {
      await post(fake, '/__fake/users/lina01/leave', {});

      const { users } = (await (await fetch(`${fake.url}/__fake/users`)).json()) as { users: { userid: string }[] };

      expect(users.map((user) => user.userid)).not.toContain('lina01');
    });
  });

  describe('POST /__fake/auth-codes', () => {
    it('rejects an unknown user', async () => {
      const response = await post(fake, '/__fake/auth-codes', { platform: 'dingtalk', userid: 'ghost01' });

      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ error: { code: 'user_not_found' } });
    });

    it('rejects an unknown platform', async () => {
      const response = await post(fake, '/__fake/auth-codes', { platform: 'feishu', userid: 'zhangwei01' });

      expect(response.status).toBe(400);
    });
  });

  describe('POST /__fake/callbacks', () => {
    it('delivers a DingTalk event and checks the reply', async () => {
      const event = { EventType: 'user_leave_org', UserId: ['lina01'], CorpId: 'dingtestcorp01' };

      const response = await post(fake, '/__fake/callbacks', { platform: 'dingtalk', event, targetUrl: `${targetUrl}/dingtalk`, ...dingtalkKeys });

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 200, accepted: true, problem: null });
      expect(received).toEqual([{ method: 'POST', plaintext: JSON.stringify(event) }]);
    });

    it('flags a DingTalk reply that is not success', async () => {
      const response = await post(fake, '/__fake/callbacks', { platform: 'dingtalk', event: { EventType: 'check_url' }, targetUrl: `${targetUrl}/broken`, ...dingtalkKeys });

      expect(response.body).toMatchObject({ status: 200, accepted: false, body: 'ok' });
    });

    it('delivers a WeCom event as encrypted XML', async () => {
      const event = { FromUserName: 'sys', MsgType: 'event', Event: 'change_contact', ChangeType: 'delete_user', UserID: 'lina01' };

      const response = await post(fake, '/__fake/callbacks', { platform: 'wecom', event, targetUrl: `${targetUrl}/wecom`, ...wecomKeys });

      expect(response.body).toMatchObject({ status: 200, accepted: true });
      expect(received).toHaveLength(1);
      expect(readXmlFields(received[0]?.plaintext ?? '')).toMatchObject({ ToUserName: 'wwtestcorp01', Event: 'change_contact', UserID: 'lina01' });
    });

    it('runs the WeCom URL check', async () => {
      const response = await post(fake, '/__fake/callbacks', { platform: 'wecom', urlVerification: true, targetUrl: `${targetUrl}/wecom`, ...wecomKeys });

      expect(response.body).toMatchObject({ status: 200, accepted: true });
      expect(received[0]?.method).toBe('GET');
      expect(received[0]?.plaintext).toMatch(/^\d+$/);
    });

    it('rejects a target outside this machine', async () => {
      const response = await post(fake, '/__fake/callbacks', { platform: 'dingtalk', event: {}, targetUrl: 'http://example.com/callback', ...dingtalkKeys });

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'target_not_local' } });
    });
  });

  describe('POST /__fake/fail-next', () => {
    it('fails the next call with the errcode', async () => {
      await post(fake, '/__fake/fail-next', { path: '/gettoken', errcode: -1 });

      const first = await (await fetch(`${fake.url}/gettoken?appkey=dingtestappkey01&appsecret=test-secret`)).json();
      const second = await (await fetch(`${fake.url}/gettoken?appkey=dingtestappkey01&appsecret=test-secret`)).json();

      expect(first).toEqual({ errcode: -1, errmsg: '系统繁忙' });
      expect(second).toMatchObject({ errcode: 0, expires_in: 7200 });
    });
  });

  describe('access tokens', () => {
    it('returns the same token while valid', async () => {
      const tokenUrl = `${fake.url}/cgi-bin/gettoken?corpid=wwtestcorp01&corpsecret=test-secret`;

      const first = (await (await fetch(tokenUrl)).json()) as { access_token: string };
      const second = (await (await fetch(tokenUrl)).json()) as { access_token: string };
      await post(fake, '/__fake/expire-tokens', {});
      const third = (await (await fetch(tokenUrl)).json()) as { access_token: string };

      expect(second.access_token).toBe(first.access_token);
      expect(third.access_token).not.toBe(first.access_token);
    });
  });
});
