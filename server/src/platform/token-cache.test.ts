import { describe, expect, it } from 'vitest';
import { TokenCache, callWithToken, type IssuedToken } from './token-cache.js';

class TokenRejected extends Error {}

/** An issuer that returns token-1, token-2, … and counts its calls. */
function countingIssuer(expiresInSeconds = 7200, delayMs = 0) {
  const issuer = {
    calls: 0,
    issue: async (): Promise<IssuedToken> => {
      issuer.calls += 1;
      const value = `token-${issuer.calls}`;
      if (delayMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
      return { value, expiresInSeconds };
    },
  };
  return issuer;
}

function manualClock(startMs = 1_700_000_000_000) {
  const clock = { nowMs: startMs, now: () => clock.nowMs };
  return clock;
}

describe('TokenCache.get', () => {
  it('fetches once and reuses the value', async () => {
    const issuer = countingIssuer();
    const cache = new TokenCache(issuer.issue);

    expect(await cache.get()).toBe('token-1');
    expect(await cache.get()).toBe('token-1');
    expect(issuer.calls).toBe(1);
  });

  it('refreshes shortly before expiry', async () => {
    const issuer = countingIssuer(7200);
    const clock = manualClock();
    const cache = new TokenCache(issuer.issue, { refreshMarginSeconds: 300, now: clock.now });
    await cache.get();

    clock.nowMs += 6899 * 1000;
    expect(await cache.get()).toBe('token-1');

    clock.nowMs += 2 * 1000;
    expect(await cache.get()).toBe('token-2');
    expect(issuer.calls).toBe(2);
  });

  it('caps the margin at half a short lifetime', async () => {
    const issuer = countingIssuer(10);
    const clock = manualClock();
    const cache = new TokenCache(issuer.issue, { refreshMarginSeconds: 300, now: clock.now });
    await cache.get();

    clock.nowMs += 4 * 1000;
    expect(await cache.get()).toBe('token-1');

    clock.nowMs += 2 * 1000;
    expect(await cache.get()).toBe('token-2');
  });

  it('collapses concurrent refreshes into one fetch', async () => {
    const issuer = countingIssuer(7200, 20);
    const cache = new TokenCache(issuer.issue);

    const values = await Promise.all([cache.get(), cache.get(), cache.get(), cache.get()]);

    expect(values).toEqual(['token-1', 'token-1', 'token-1', 'token-1']);
    expect(issuer.calls).toBe(1);
  });

  it('retries the fetch after a failure', async () => {
    let calls = 0;
    const cache = new TokenCache(async () => {
      calls += 1;
      if (calls === 1) {
        throw new Error('gettoken failed');
      }
      return { value: 'token-ok', expiresInSeconds: 7200 };
    });

    await expect(cache.get()).rejects.toThrow('gettoken failed');
    expect(await cache.get()).toBe('token-ok');
    expect(calls).toBe(2);
  });
});

describe('TokenCache.invalidate', () => {
  it('forces a new fetch', async () => {
    const issuer = countingIssuer();
    const cache = new TokenCache(issuer.issue);
    await cache.get();

    cache.invalidate();

    expect(await cache.get()).toBe('token-2');
  });

  it('keeps a value that was already replaced', async () => {
    const issuer = countingIssuer();
    const cache = new TokenCache(issuer.issue);
    await cache.get();
    cache.invalidate('token-1');
    await cache.get();

    cache.invalidate('token-1');

    expect(await cache.get()).toBe('token-2');
    expect(issuer.calls).toBe(2);
  });
});

describe('callWithToken', () => {
  const isTokenRejected = (error: unknown) => error instanceof TokenRejected;

  it('retries once with a fresh token', async () => {
    const issuer = countingIssuer();
    const cache = new TokenCache(issuer.issue);
    const usedTokens: string[] = [];

    const result = await callWithToken(
      cache,
      async (token) => {
        usedTokens.push(token);
        if (token === 'token-1') {
          throw new TokenRejected('40014');
        }
        return 'done';
      },
      isTokenRejected,
    );

    expect(result).toBe('done');
    expect(usedTokens).toEqual(['token-1', 'token-2']);
  });

  it('throws a second rejection', async () => {
    const cache = new TokenCache(countingIssuer().issue);
    let attempts = 0;

    const call = callWithToken(
      cache,
      async () => {
        attempts += 1;
        throw new TokenRejected('42001');
      },
      isTokenRejected,
    );

    await expect(call).rejects.toBeInstanceOf(TokenRejected);
    expect(attempts).toBe(2);
  });

  it('does not retry other errors', async () => {
    const issuer = countingIssuer();
    const cache = new TokenCache(issuer.issue);
    let attempts = 0;

    const call = callWithToken(
      cache,
      async () => {
        attempts += 1;
        throw new Error('60121 user not found');
      },
      isTokenRejected,
    );

    await expect(call).rejects.toThrow('60121');
    expect(attempts).toBe(1);
    expect(issuer.calls).toBe(1);
  });

  it('shares one refresh among concurrent rejected calls', async () => {
    const issuer = countingIssuer(7200, 10);
    const cache = new TokenCache(issuer.issue);
    await cache.get();

    const call = () =>
      callWithToken(
        cache,
        async (token) => {
          if (token === 'token-1') {
            throw new TokenRejected('42001');
          }
          return token;
        },
        isTokenRejected,
      );
    const results = await Promise.all([call(), call(), call()]);

    expect(results).toEqual(['token-2', 'token-2', 'token-2']);
    expect(issuer.calls).toBe(2);
  });
});
