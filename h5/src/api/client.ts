import type { z } from 'zod';
import { ApiRequestError, isSessionError, networkError, readErrorResponse } from './errors';
import { loadSessionToken } from './session-token';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRequestOptions {
  method?: HttpMethod;
  /** Sent as JSON, or as multipart when it is a FormData. */
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  /** Sent as the `Idempotency-Key` header, so the server can recognise a retried create. */
  idempotencyKey?: string;
  /** Send the session token. False for the endpoints used before login. Default true. */
  authenticated?: boolean;
  /** On a 401 for a missing or expired session, log in again silently and repeat the request once. Default true. */
  renewExpiredSession?: boolean;
  signal?: AbortSignal;
}

/** Obtains a new session without user interaction; resolves to false when that is impossible. */
export type SessionRenewer = () => Promise<boolean>;

let sessionRenewer: SessionRenewer | null = null;
let renewalInFlight: Promise<boolean> | null = null;

/** Set how the client logs in again after a 401. The session module calls this once at start-up. */
export function setSessionRenewer(renewer: SessionRenewer): void {
  sessionRenewer = renewer;
}

/** Create a key for `idempotencyKey`. Call it once per user action and reuse the key for that action's retries. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/** Call our API and parse the 2xx body with `schema`; any other outcome throws ApiRequestError. */
export async function apiRequest<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
  options: ApiRequestOptions = {},
): Promise<z.output<Schema>> {
  const response = await sendWithSessionRenewal(path, options);
  return parseJsonBody(response, schema, path);
}

/** Call our API where the response body does not matter (204 and the like). */
export async function apiSend(path: string, options: ApiRequestOptions = {}): Promise<void> {
  await sendWithSessionRenewal(path, options);
}

/** Call another origin's JSON endpoint (the demo's fake open platform) with the same error handling, without our token. */
export async function requestJson<Schema extends z.ZodType>(
  url: string,
  schema: Schema,
  init: RequestInit = {},
): Promise<z.output<Schema>> {
  const response = await fetchOrThrow(url, init);
  if (!response.ok) throw await readErrorResponse(response);
  return parseJsonBody(response, schema, url);
}

async function sendWithSessionRenewal(path: string, options: ApiRequestOptions): Promise<Response> {
  const firstResponse = await fetchOrThrow(buildUrl(path, options.query), buildInit(options));
  if (firstResponse.ok) return firstResponse;

  const error = await readErrorResponse(firstResponse);
  const mayRenew = options.authenticated !== false && options.renewExpiredSession !== false;
  if (!mayRenew || !isSessionError(error) || !(await renewSessionOnce())) throw error;

  // Same body and idempotency key: the first attempt was rejected before the server acted on it.
  const secondResponse = await fetchOrThrow(buildUrl(path, options.query), buildInit(options));
  if (!secondResponse.ok) throw await readErrorResponse(secondResponse);
  return secondResponse;
}

/** Run the renewer at most once at a time, so parallel 401s share one new login. */
function renewSessionOnce(): Promise<boolean> {
  if (sessionRenewer === null) return Promise.resolve(false);

  renewalInFlight ??= sessionRenewer().finally(() => {
    renewalInFlight = null;
  });
  return renewalInFlight;
}

function buildUrl(path: string, query: ApiRequestOptions['query']): string {
  if (!query) return path;

  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(key, String(value));
  }
  const queryString = params.toString();
  return queryString ? `${path}?${queryString}` : path;
}

function buildInit(options: ApiRequestOptions): RequestInit {
  const headers = new Headers({ Accept: 'application/json' });

  if (options.authenticated !== false) {
    const token = loadSessionToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
  }
  if (options.idempotencyKey) headers.set('Idempotency-Key', options.idempotencyKey);

  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json');
    body = JSON.stringify(options.body);
  }

  return { method: options.method ?? 'GET', headers, body, signal: options.signal };
}

async function fetchOrThrow(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError(error);
  }
}

async function parseJsonBody<Schema extends z.ZodType>(
  response: Response,
  schema: Schema,
  source: string,
): Promise<z.output<Schema>> {
  const body: unknown = await response.json().catch(() => undefined);
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;

  // A mismatch means the H5 and the server were built from different versions of shared/.
  console.error(`Response of ${source} does not match its schema`, parsed.error.issues);
  throw new ApiRequestError({
    status: response.status,
    code: 'invalid_response',
    message: '服务器返回的数据格式不正确，请刷新页面后重试；如仍出现，请联系管理员',
    details: parsed.error.issues,
  });
}

export { ApiRequestError };
