import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

async function mintCode(userid: string): Promise<string> {
  const response = await fetch(`${server.fakePlatformUrl}/__fake/auth-codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ platform: 'dingtalk', userid }),
  });
  return ((await response.json()) as { code: string }).code;
}

async function firstUserWithRole(role: string): Promise<string> {
  const response = await fetch(`${server.fakePlatformUrl}/__fake/users`);
  const { users } = (await response.json()) as { users: { userid: string; roles: string[] }[] };
  return users.find((user) => user.roles.includes(role))!.userid;
}

describe('POST /api/auth/login', () => {
  it('opens a session for a synced user', async () => {
    const rep = await firstUserWithRole('rep');
    const response = await server.request<{ token: string; user: { platformUserId: string; roles: string[]; departments: unknown[] } }>('POST', '/api/auth/login', {
      body: { platform: 'dingtalk', code: await mintCode(rep) },
    });
    expect(response.status).toBe(200);
    expect(response.body.user.platformUserId).toBe(rep);
    expect(response.body.user.roles).toContain('rep');
    expect(response.body.user.departments.length).toBeGreaterThan(0);

    const me = await server.request<{ platformUserId: string }>('GET', '/api/me', { token: response.body.token });
    expect(me.status).toBe(200);
    expect(me.body.platformUserId).toBe(rep);
  });

  it('stores only a hash of the session token', async () => {
    const token = await server.login(await firstUserWithRole('rep'));
    const rows = await server.db.selectFrom('session').select('token_hash').execute();
    expect(rows.some((row) => row.token_hash === token)).toBe(false);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.token_hash))).toBe(true);
  });

  it('rejects a code used twice', async () => {
    const code = await mintCode(await firstUserWithRole('rep'));
    const first = await server.request('POST', '/api/auth/login', { body: { platform: 'dingtalk', code } });
    const second = await server.request<{ error: { code: string; message: string } }>('POST', '/api/auth/login', { body: { platform: 'dingtalk', code } });
    expect(first.status).toBe(200);
    expect(second.status).toBe(401);
    expect(second.body.error.code).toBe('invalid_auth_code');
  });

  it('rejects an unknown code', async () => {
    const response = await server.request<{ error: { code: string } }>('POST', '/api/auth/login', { body: { platform: 'dingtalk', code: 'not-a-real-code' } });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('invalid_auth_code');
  });

  it('names the missing field', async () => {
    const response = await server.request<{ error: { code: string; details: { field: string }[] } }>('POST', '/api/auth/login', { body: { platform: 'dingtalk' } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_failed');
    expect(response.body.error.details[0]!.field).toBe('code');
  });

  it('ignores a user id sent by the client', async () => {
    const rep = await firstUserWithRole('rep');
    const executive = await firstUserWithRole('executive');
    const response = await server.request<{ user: { platformUserId: string } }>('POST', '/api/auth/login', {
      body: { platform: 'dingtalk', code: await mintCode(rep), userid: executive, roles: ['admin'] },
    });
    expect(response.status).toBe(200);
    expect(response.body.user.platformUserId).toBe(rep);
  });

  it('refreshes an expired platform token transparently', async () => {
    const expired = await fetch(`${server.fakePlatformUrl}/__fake/expire-tokens`, { method: 'POST' });
    expect(expired.ok).toBe(true);
    const response = await server.request('POST', '/api/auth/login', { body: { platform: 'dingtalk', code: await mintCode(await firstUserWithRole('rep')) } });
    expect(response.status).toBe(200);
  });
});

describe('POST /api/auth/logout', () => {
  it('revokes the session', async () => {
    const token = await server.login(await firstUserWithRole('rep'));
    const logout = await server.request('POST', '/api/auth/logout', { token });
    expect(logout.status).toBe(204);
    const me = await server.request<{ error: { code: string } }>('GET', '/api/me', { token });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('session_expired');
  });
});

describe('GET /api/me', () => {
  it('requires a token', async () => {
    const response = await server.request<{ error: { code: string } }>('GET', '/api/me');
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthenticated');
  });
});

describe('GET /api/health and /api/openapi.json', () => {
  it('reports the database as up', async () => {
    const response = await server.request<{ ok: boolean; db: boolean; version: string }>('GET', '/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true, db: true, version: 'test' });
  });

  it('describes the login and me endpoints in Chinese', async () => {
    const response = await server.request<{ openapi: string; paths: Record<string, Record<string, { summary: string }>> }>('GET', '/api/openapi.json');
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.paths['/api/auth/login']!.post!.summary).toMatch(/授权码/);
    expect(response.body.paths['/api/me']!.get!.summary).toMatch(/当前用户/);
  });

  it('answers an unknown API path with a JSON 404', async () => {
    const response = await server.request<{ error: { code: string } }>('GET', '/api/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('route_not_found');
  });
});
