/**
 * Cache for a credential the open platform issues with a lifetime: an access token or a JSAPI ticket.
 * Both platforms rate-limit issuing, so the value is reused until shortly before it expires.
 */

export interface IssuedToken {
  value: string;
  /** Lifetime the platform returned (expires_in), in seconds; 7200 on both platforms. */
  expiresInSeconds: number;
}

export interface TokenCacheOptions {
  /** Seconds before expiry at which the next get() fetches a new value. Capped at half the lifetime. */
  refreshMarginSeconds?: number;
  /** Current time in milliseconds; tests pass a controllable clock. */
  now?: () => number;
}

const DEFAULT_REFRESH_MARGIN_SECONDS = 300;

export class TokenCache {
  private current: { value: string; refreshAtMs: number } | null = null;
  private pending: Promise<string> | null = null;
  private readonly refreshMarginSeconds: number;
  private readonly now: () => number;

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    options: TokenCacheOptions = {},
  ) {
    this.refreshMarginSeconds = options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS;
    this.now = options.now ?? Date.now;
  }

  /** Returns the cached value, or fetches one. Concurrent callers during a fetch share the same request. */
  get(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAtMs) {
      return Promise.resolve(this.current.value);
    }

    if (!this.pending) {
      this.pending = this.refresh().finally(() => {
        this.pending = null;
      });
    }
    return this.pending;
  }

  /**
   * Drops the cached value so the next get() fetches a new one.
   * With `value`, drops it only if it is still the cached one, so a token another caller already replaced stays.
   */
  invalidate(value?: string): void {
    if (value === undefined || this.current?.value === value) {
      this.current = null;
    }
  }

  private async refresh(): Promise<string> {
    const issued = await this.issue();
    const lifetimeSeconds = Math.max(issued.expiresInSeconds, 0);
    const reuseSeconds = Math.max(lifetimeSeconds - this.refreshMarginSeconds, lifetimeSeconds / 2);

    this.current = { value: issued.value, refreshAtMs: this.now() + reuseSeconds * 1000 };
    return issued.value;
  }
}

/**
 * Runs `call` with the cached token. When the platform rejects the token (`isTokenRejected`),
 * invalidates it and runs `call` once more with a fresh one; a second rejection is thrown.
 */
export async function callWithToken<T>(
  cache: TokenCache,
  call: (token: string) => Promise<T>,
  isTokenRejected: (error: unknown) => boolean,
): Promise<T> {
  const token = await cache.get();
  try {
    return await call(token);
  } catch (error) {
    if (!isTokenRejected(error)) {
      throw error;
    }
    cache.invalidate(token);
  }

  const freshToken = await cache.get();
  return call(freshToken);
}
