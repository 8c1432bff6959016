import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCallbackSettings, demoPlatformCredentials } from '../../../../scripts/demo-settings.js';
import { decryptCallbackMessage, encryptCallbackMessage, sealCallbackMessage, computeCallbackSignature } from '../../platform/callback-crypto.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

const dingtalkKeys = {
  token: demoCallbackSettings.DINGTALK_CALLBACK_TOKEN,
  aesKey: demoCallbackSettings.DINGTALK_CALLBACK_AES_KEY,
  ownerKey: demoPlatformCredentials.dingtalk.appKey,
};

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

async function postDingtalk(event: Record<string, unknown>, options: { forgeSignature?: boolean } = {}) {
  const sealed = sealCallbackMessage(dingtalkKeys, JSON.stringify(event), String(Date.now()), 'nonce123');
  const signature = options.forgeSignature ? '0'.repeat(40) : sealed.signature;
  const query = new URLSearchParams({ msg_signature: signature, timestamp: sealed.timestamp, nonce: sealed.nonce });
  return fetch(`${server.url}/api/callbacks/dingtalk?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ encrypt: sealed.encrypt }),
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe('POST /api/callbacks/dingtalk', () => {
  it('answers the URL check with an encrypted success', async () => {
    const response = await postDingtalk({ EventType: 'check_url' });
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { msg_signature: string; timeStamp: string; nonce: string; encrypt: string };
    expect(computeCallbackSignature(dingtalkKeys.token, reply.timeStamp, reply.nonce, reply.encrypt)).toBe(reply.msg_signature);
    expect(decryptCallbackMessage(dingtalkKeys.aesKey, dingtalkKeys.ownerKey, reply.encrypt)).toBe('success');
  });

  it('rejects a forged signature and processes nothing', async () => {
    const leaver = 'forged-target';
    const response = await postDingtalk({ EventType: 'user_leave_org', UserId: [leaver], EventId: 'forged-1' }, { forgeSignature: true });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('invalid_signature');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const events = await server.db.selectFrom('platform_event').selectAll().where('event_id', '=', 'forged-1').execute();
    expect(events).toEqual([]);
  });

  it('rejects a message encrypted for another app', async () => {
    const encrypt = encryptCallbackMessage(dingtalkKeys.aesKey, 'another-app-key', JSON.stringify({ EventType: 'check_url' }));
    const timestamp = String(Date.now());
    const signature = computeCallbackSignature(dingtalkKeys.token, timestamp, 'n1', encrypt);
    const response = await fetch(`${server.url}/api/callbacks/dingtalk?msg_signature=${signature}&timestamp=${timestamp}&nonce=n1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ encrypt }),
    });
    expect(response.status).toBe(401);
  });

  it('revokes the sessions of a user who left, once per event id', async () => {
    const users = (await (await fetch(`${server.fakePlatformUrl}/__fake/users`)).json()) as { users: { userid: string; roles: string[] }[] };
    const leaver = users.users.find((user) => user.roles.includes('rep'))!.userid;
    const token = await server.login(leaver);
    expect((await server.request('GET', '/api/me', { token })).status).toBe(200);

    const event = { EventType: 'user_leave_org', UserId: [leaver], CorpId: demoPlatformCredentials.dingtalk.corpId, EventId: 'leave-event-1' };
    expect((await postDingtalk(event)).status).toBe(200);
    expect((await postDingtalk(event)).status).toBe(200);

    const userId = await server.userId(leaver);
    const revoked = await waitFor(async () => (await server.request('GET', '/api/me', { token })).status === 401);
    expect(revoked).toBe(true);
    const audits = await server.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.left').where('entity_id', '=', String(userId)).execute();
    expect(audits).toHaveLength(1);
    const events = await server.db.selectFrom('platform_event').selectAll().where('event_id', '=', 'leave-event-1').execute();
    expect(events).toHaveLength(1);
  });
});
