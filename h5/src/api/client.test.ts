import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { apiRequest, newIdempotencyKey, setSessionRenewer } from './client';
import { ApiRequestError } from './errors';
import { saveSessionToken } from './session-token';

const itemSchema = z.object({ id: z.number() });

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function sessionExpired(): Response {
  return jsonResponse(401, { error: { code: 'session_expired', message: '登录已过期' } });
}

function createMemoryStorage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (key) => values.get(key) ?? null,
    key: (index) => Array.from(values.keys())[index] ?? null,
    removeItem: (key) => void values.delete(key),
    setItem: (key, value) => void values.set(key, value),
  };
}

const fetchMock = vi.fn<typeof fetch>();

function sentHeaders(callIndex: number): Headers {
  const init = fetchMock.mock.calls[callIndex]?.[1];
  return new Headers(init?.headers);
}

beforeEach(() => {
  vi.stubGlobal('localStorage', createMemoryStorage());
  vi.stubGlobal('fetch', fetchMock);
  saveSessionToken({ token: 'old-token', expiresAt: new Date(Date.now() + 60_000).toISOString() });
  setSessionRenewer(async () => false);
});

afterEach(() => {
  fetchMock.mockReset();
  vi.unstubAllGlobals();
});

describe('apiRequest', () => {
  it('returns the body parsed by the schema', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { id: 7, extra: 'dropped' }));

    await expect(apiRequest('/api/items/7', itemSchema)).resolves.toEqual({ id: 7 });
    expect(sentHeaders(0).get('Authorization')).toBe('Bearer old-token');
  });

  it('throws the server error with its field issues', async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(422, {
        error: { code: 'validation_failed', message: '请检查输入', details: [{ field: 'name', message: '请填写名称' }] },
      }),
    );

    const error = await apiRequest('/api/items', itemSchema, { method: 'POST', body: {} }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ status: 422, code: 'validation_failed', message: '请检查输入' });
    expect((error as ApiRequestError).fieldMessage('name')).toBe('请填写名称');
  });

  it('maps a non-JSON error page to unexpected_response', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>Bad Gateway</html>', { status: 502 }));

    await expect(apiRequest('/api/items', itemSchema)).rejects.toMatchObject({ status: 502, code: 'unexpected_response' });
  });

  it('rejects a body that does not match the schema', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { id: 'seven' }));

    await expect(apiRequest('/api/items/7', itemSchema)).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('maps a failed fetch to network_error', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));

    await expect(apiRequest('/api/items', itemSchema)).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('sends the idempotency key and a JSON body', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(201, { id: 1 }));
    const key = newIdempotencyKey();

    await apiRequest('/api/items', itemSchema, { method: 'POST', body: { name: '新华书店' }, idempotencyKey: key });

    expect(sentHeaders(0).get('Idempotency-Key')).toBe(key);
    expect(sentHeaders(0).get('Content-Type')).toBe('application/json');
    expect(fetchMock.mock.calls[0]?.[1]?.body).toBe('{"name":"新华书店"}');
  });

  it('adds query parameters and skips empty ones', async () => {
    fetchMock.mockResolvedValueOnce(jsonResponse(200, { id: 1 }));

    await apiRequest('/api/items', itemSchema, { query: { page: 2, keyword: '书店', stage: undefined, owner: null } });

    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/items?page=2&keyword=%E4%B9%A6%E5%BA%97');
  });
});

describe('apiRequest after an expired session', () => {
  it('renews once and repeats the request with the new token', async () => {
    setSessionRenewer(async () => {
      saveSessionToken({ token: 'new-token', expiresAt: new Date(Date.now() + 60_000).toISOString() });
      return true;
    });
    fetchMock.mockResolvedValueOnce(sessionExpired()).mockResolvedValueOnce(jsonResponse(201, { id: 3 }));

    const result = await apiRequest('/api/items', itemSchema, { method: 'POST', body: { a: 1 }, idempotencyKey: 'k-1' });

    expect(result).toEqual({ id: 3 });
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(sentHeaders(1).get('Authorization')).toBe('Bearer new-token');
    expect(sentHeaders(1).get('Idempotency-Key')).toBe('k-1');
  });

  it('throws the 401 when renewal is impossible', async () => {
    fetchMock.mockResolvedValueOnce(sessionExpired());

    await expect(apiRequest('/api/items', itemSchema)).rejects.toMatchObject({ status: 401, code: 'session_expired' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('repeats at most once', async () => {
    setSessionRenewer(async () => true);
    fetchMock.mockResolvedValueOnce(sessionExpired()).mockResolvedValueOnce(sessionExpired());

    await expect(apiRequest('/api/items', itemSchema)).rejects.toMatchObject({ code: 'session_expired' });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('shares one renewal between parallel requests', async () => {
    const renewer = vi.fn(async () => true);
    setSessionRenewer(renewer);
    fetchMock
      .mockResolvedValueOnce(sessionExpired())
      .mockResolvedValueOnce(sessionExpired())
      .mockImplementation(async () => jsonResponse(200, { id: 1 }));

    await Promise.all([apiRequest('/api/a', itemSchema), apiRequest('/api/b', itemSchema)]);

    expect(renewer).toHaveBeenCalledTimes(1);
  });

  it('does not renew when the request opts out', async () => {
    const renewer = vi.fn(async () => true);
    setSessionRenewer(renewer);
    fetchMock.mockResolvedValueOnce(sessionExpired());

    await expect(apiRequest('/api/me', itemSchema, { renewExpiredSession: false })).rejects.toMatchObject({ status: 401 });
    expect(renewer).not.toHaveBeenCalled();
  });

  it('does not renew on other 401 codes', async () => {
    const renewer = vi.fn(async () => true);
    setSessionRenewer(renewer);
    fetchMock.mockResolvedValueOnce(jsonResponse(401, { error: { code: 'invalid_auth_code', message: '授权码无效' } }));

    await expect(apiRequest('/api/items', itemSchema)).rejects.toMatchObject({ code: 'invalid_auth_code' });
    expect(renewer).not.toHaveBeenCalled();
  });
});
