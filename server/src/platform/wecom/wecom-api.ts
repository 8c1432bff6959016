import type { Logger } from 'pino';
import { z } from 'zod';
import { PlatformError, type PlatformErrorKind } from '../chat-platform.js';
import { buildUrl, DEFAULT_TIMEOUT_MS, fetchJson, parseResponse, retryWhenBusy, type BusyRetryOptions } from '../platform-http.js';
import { callWithToken, TokenCache, type IssuedToken } from '../token-cache.js';

/** Transport for the WeCom server API: HTTP 200 + errcode/errmsg, token in the access_token query parameter. */

export interface WeComApiOptions {
  corpId: string;
  /** Secret of the self-built app. Its token can read only the app's visible range of the org chart. */
  secret: string;
  /** Base of the /cgi-bin paths, e.g. https://qyapi.weixin.qq.com */
  apiBase: string;
  logger: Logger;
  timeoutMs?: number;
  busyRetry?: BusyRetryOptions;
}

/** errcode -1 means "system busy, retry later". */
const BUSY_ERRCODE = -1;
const DEFAULT_BUSY_RETRY: BusyRetryOptions = { retries: 3, baseDelayMs: 200 };

/** errcodes the server reacts to; every other non-zero errcode becomes kind 'other'. */
const errorKindsByErrcode = new Map<number, PlatformErrorKind>([
  [BUSY_ERRCODE, 'rate_limited'],
  [40014, 'token_invalid'],
  [42001, 'token_invalid'],
  [40029, 'invalid_code'], // bad, used or expired OAuth code
  [45009, 'rate_limited'], // API call limit exceeded
  [45033, 'rate_limited'], // too many concurrent calls
  [60111, 'not_found'], // userid not found
  [60123, 'not_found'], // department not found
  [81013, 'not_found'], // every recipient of a message is invalid
]);

const envelopeSchema = z.object({ errcode: z.number().optional(), errmsg: z.string().optional() });
const accessTokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

export interface ApiRequest {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

function isTokenRejected(error: unknown): boolean {
  return error instanceof PlatformError && error.kind === 'token_invalid';
}

function isBusy(error: unknown): boolean {
  return error instanceof PlatformError && error.errcode === BUSY_ERRCODE;
}

export class WeComApi {
  readonly accessTokens: TokenCache;
  private readonly timeoutMs: number;
  private readonly busyRetry: BusyRetryOptions;

  constructor(private readonly options: WeComApiOptions) {
    this.accessTokens = new TokenCache(() => this.fetchAccessToken());
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.busyRetry = options.busyRetry ?? DEFAULT_BUSY_RETRY;
  }

  /** Calls a /cgi-bin path with the cached token. Retries busy responses, and a rejected token once. */
  call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, request: ApiRequest = {}): Promise<T> {
    const send = (token: string) => this.send(method, path, schema, { ...request, query: { ...request.query, access_token: token } });
    return callWithToken(this.accessTokens, (token) => this.withBusyRetry(path, () => send(token)), isTokenRejected);
  }

  private async fetchAccessToken(): Promise<IssuedToken> {
    const query = { corpid: this.options.corpId, corpsecret: this.options.secret };
    const path = '/cgi-bin/gettoken';
    const issued = await this.withBusyRetry(path, () => this.send('GET', path, accessTokenSchema, { query }));

    this.options.logger.info({ expiresInSeconds: issued.expires_in }, 'WeCom access token refreshed');
    return { value: issued.access_token, expiresInSeconds: issued.expires_in };
  }

  private async send<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, request: ApiRequest): Promise<T> {
    const response = await fetchJson('wecom', {
      method,
      path,
      url: buildUrl(this.options.apiBase, path, request.query),
      body: request.body,
      timeoutMs: this.timeoutMs,
    });
    if (response.status !== 200) {
      throw new PlatformError('wecom', 'other', null, `WeCom ${path} returned HTTP ${response.status}`);
    }

    const envelope = envelopeSchema.safeParse(response.body);
    const errcode = envelope.success ? (envelope.data.errcode ?? 0) : 0;
    if (errcode !== 0) {
      const errmsg = envelope.success ? (envelope.data.errmsg ?? '') : '';
      const kind = errorKindsByErrcode.get(errcode) ?? 'other';
      throw new PlatformError('wecom', kind, errcode, `WeCom ${path} failed with errcode ${errcode}: ${errmsg}`);
    }
    return parseResponse('wecom', path, schema, response.body);
  }

  private withBusyRetry<T>(path: string, run: () => Promise<T>): Promise<T> {
    return retryWhenBusy(run, isBusy, this.busyRetry, (retry, delayMs) => {
      this.options.logger.warn({ path, retry, delayMs }, 'WeCom is busy (errcode -1), retrying');
    });
  }
}
