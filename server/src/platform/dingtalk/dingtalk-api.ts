import type { Logger } from 'pino';
import { z } from 'zod';
import { PlatformError, type PlatformErrorKind } from '../chat-platform.js';
import { buildUrl, DEFAULT_TIMEOUT_MS, fetchJson, parseResponse, retryWhenBusy, type BusyRetryOptions } from '../platform-http.js';
import { callWithToken, TokenCache, type IssuedToken } from '../token-cache.js';

/**
 * Transport for DingTalk's two API styles: oapi.dingtalk.com ("topapi", HTTP 200 + errcode/errmsg, token in the
 * access_token query parameter) and api.dingtalk.com (v1.0, HTTP status + string code, token in the
 * x-acs-dingtalk-access-token header). One token from /gettoken serves both.
 */

export interface DingTalkApiOptions {
  appKey: string;
  appSecret: string;
  /** Base of the oapi paths, e.g. https://oapi.dingtalk.com */
  apiBase: string;
  /** Base of the v1.0 paths, e.g. https://api.dingtalk.com */
  newApiBase: string;
  logger: Logger;
  timeoutMs?: number;
  busyRetry?: BusyRetryOptions;
}

/** errcode -1 means "system busy". DingTalk documents it as retryable, up to 3 times. */
const BUSY_ERRCODE = -1;
const DEFAULT_BUSY_RETRY: BusyRetryOptions = { retries: 3, baseDelayMs: 200 };

/** oapi errcodes the server reacts to; every other non-zero errcode becomes kind 'other'. */
const errorKindsByErrcode = new Map<number, PlatformErrorKind>([
  [BUSY_ERRCODE, 'rate_limited'],
  [40014, 'token_invalid'],
  [42001, 'token_invalid'],
  [40078, 'invalid_code'], // nonexistent temporary auth code: bad, used or expired
  [40029, 'invalid_code'], // the same, as documented for the legacy getuserinfo
  [45009, 'rate_limited'],
  [60121, 'not_found'], // user not found
  [60003, 'not_found'], // department not found
]);

/** 90001–90020 is DingTalk's throttling family (90002 global limit, 90018 per-app QPS, 90020 monthly quota). */
function kindOfErrcode(errcode: number): PlatformErrorKind {
  if (errcode >= 90001 && errcode <= 90020) {
    return 'rate_limited';
  }
  return errorKindsByErrcode.get(errcode) ?? 'other';
}

const oapiEnvelopeSchema = z.object({ errcode: z.number().optional(), errmsg: z.string().optional() });
const newApiErrorSchema = z.object({ code: z.string().optional(), message: z.string().optional() });
const accessTokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

export interface ApiRequest {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export function isTokenRejected(error: unknown): boolean {
  return error instanceof PlatformError && error.kind === 'token_invalid';
}

function isBusy(error: unknown): boolean {
  return error instanceof PlatformError && error.errcode === BUSY_ERRCODE;
}

export class DingTalkApi {
  readonly accessTokens: TokenCache;
  private readonly timeoutMs: number;
  private readonly busyRetry: BusyRetryOptions;

  constructor(private readonly options: DingTalkApiOptions) {
    this.accessTokens = new TokenCache(() => this.fetchAccessToken());
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.busyRetry = options.busyRetry ?? DEFAULT_BUSY_RETRY;
  }

  /** Calls an oapi path with the cached token. Retries busy responses, and a rejected token once. */
  oapi<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, request: ApiRequest = {}): Promise<T> {
    const send = (token: string) => this.sendOapi(method, path, schema, { ...request, query: { ...request.query, access_token: token } });
    return callWithToken(this.accessTokens, (token) => this.withBusyRetry(path, () => send(token)), isTokenRejected);
  }

  /** Calls a v1.0 path on the new API host with the cached token. Retries a rejected token once. */
  newApi<T>(method: 'POST' | 'PUT', path: string, schema: z.ZodType<T>, request: ApiRequest = {}): Promise<T> {
    return callWithToken(this.accessTokens, (token) => this.sendNewApi(method, path, schema, token, request), isTokenRejected);
  }

  private async fetchAccessToken(): Promise<IssuedToken> {
    const query = { appkey: this.options.appKey, appsecret: this.options.appSecret };
    const issued = await this.withBusyRetry('/gettoken', () => this.sendOapi('GET', '/gettoken', accessTokenSchema, { query }));

    this.options.logger.info({ expiresInSeconds: issued.expires_in }, 'DingTalk access token refreshed');
    return { value: issued.access_token, expiresInSeconds: issued.expires_in };
  }

  private async sendOapi<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, request: ApiRequest): Promise<T> {
    const response = await fetchJson('dingtalk', {
      method,
      path,
      url: buildUrl(this.options.apiBase, path, request.query),
      body: request.body,
      timeoutMs: this.timeoutMs,
    });
    if (response.status !== 200) {
      throw new PlatformError('dingtalk', 'other', null, `DingTalk ${path} returned HTTP ${response.status}`);
    }

    const envelope = oapiEnvelopeSchema.safeParse(response.body);
    const errcode = envelope.success ? (envelope.data.errcode ?? 0) : 0;
    if (errcode !== 0) {
      const errmsg = envelope.success ? (envelope.data.errmsg ?? '') : '';
      throw new PlatformError('dingtalk', kindOfErrcode(errcode), errcode, `DingTalk ${path} failed with errcode ${errcode}: ${errmsg}`);
    }
    return parseResponse('dingtalk', path, schema, response.body);
  }

  private async sendNewApi<T>(
    method: 'POST' | 'PUT',
    path: string,
    schema: z.ZodType<T>,
    token: string,
    request: ApiRequest,
  ): Promise<T> {
    const response = await fetchJson('dingtalk', {
      method,
      path,
      url: buildUrl(this.options.newApiBase, path, request.query),
      body: request.body,
      headers: { 'x-acs-dingtalk-access-token': token },
      timeoutMs: this.timeoutMs,
    });
    if (response.status >= 200 && response.status < 300) {
      return parseResponse('dingtalk', path, schema, response.body);
    }

    const error = newApiErrorSchema.safeParse(response.body);
    const code = error.success ? (error.data.code ?? null) : null;
    const message = error.success ? (error.data.message ?? '') : '';
    throw new PlatformError(
      'dingtalk',
      kindOfNewApiError(response.status, code),
      code ?? response.status,
      `DingTalk ${method} ${path} returned HTTP ${response.status} ${code ?? ''}: ${message}`,
    );
  }

  private withBusyRetry<T>(path: string, run: () => Promise<T>): Promise<T> {
    return retryWhenBusy(run, isBusy, this.busyRetry, (retry, delayMs) => {
      this.options.logger.warn({ path, retry, delayMs }, 'DingTalk is busy (errcode -1), retrying');
    });
  }
}

/**
 * Maps a v1.0 error to a kind.
 * NOTE: the code DingTalk returns for an expired token on v1.0 paths is not confirmed, so both HTTP 401 and
 * the code "InvalidAuthentication" count as a rejected token.
 */
function kindOfNewApiError(status: number, code: string | null): PlatformErrorKind {
  if (status === 401 || code === 'InvalidAuthentication') {
    return 'token_invalid';
  }
  if (status === 429) {
    return 'rate_limited';
  }
  if (status === 404) {
    return 'not_found';
  }
  return 'other';
}
