import type { Platform } from '@shared/roles.js';
import type { z } from 'zod';
import { PlatformError } from './chat-platform.js';

/** Time allowed for one platform request before it fails with kind 'network'. */
export const DEFAULT_TIMEOUT_MS = 10_000;

export const platformLabels: Record<Platform, string> = { dingtalk: 'DingTalk', wecom: 'WeCom' };

export interface JsonRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** Base URL plus path; the query may carry access_token, so only `path` goes into errors and logs. */
  url: URL;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

/** Sends one JSON request. Network failures and timeouts become PlatformError kind 'network'. */
export async function fetchJson(platform: Platform, request: JsonRequest): Promise<JsonResponse> {
  const label = `${platformLabels[platform]} ${request.method} ${request.path}`;
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.body !== undefined) {
    headers['content-type'] = 'application/json';
  }

  let status: number;
  let text: string;
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw new PlatformError(platform, 'network', null, `${label} failed: ${describeFetchError(error, request.timeoutMs)}`);
  }

  if (text.trim() === '') {
    return { status, body: null };
  }
  try {
    return { status, body: JSON.parse(text) };
  } catch {
    // An IP-level flood block returns an HTML page instead of an errcode.
    throw new PlatformError(platform, 'other', null, `${label} returned HTTP ${status} with a body that is not JSON`);
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  if (error.name === 'TimeoutError' || error.name === 'AbortError') {
    return `timed out after ${timeoutMs} ms`;
  }

  // undici reports "fetch failed" and keeps the socket error (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

export interface BusyRetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** Delay before the first retry; each further retry doubles it. */
  baseDelayMs: number;
}

/**
 * Runs `run` and, while it throws an error `isBusy` accepts, waits and runs it again, at most `retries` times.
 * `onRetry` is called before each wait so the caller can log it.
 */
export async function retryWhenBusy<T>(
  run: () => Promise<T>,
  isBusy: (error: unknown) => boolean,
  options: BusyRetryOptions,
  onRetry: (retry: number, delayMs: number, error: unknown) => void,
): Promise<T> {
  for (let retry = 1; ; retry += 1) {
    try {
      return await run();
    } catch (error) {
      if (retry > options.retries || !isBusy(error)) {
        throw error;
      }

      const delayMs = options.baseDelayMs * 2 ** (retry - 1);
      onRetry(retry, delayMs, error);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** Builds `base + path` with query parameters, keeping any path prefix of the base URL. */
export function buildUrl(base: string, path: string, query: Record<string, string | number | undefined> = {}): URL {
  const url = new URL(`${base.replace(/\/+$/, '')}${path}`);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) {
      url.searchParams.set(name, String(value));
    }
  }
  return url;
}

/** Validates a response body; a shape the code does not expect becomes PlatformError kind 'other'. */
export function parseResponse<T>(platform: Platform, path: string, schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) {
    return parsed.data;
  }

  const problem = parsed.error.issues[0];
  const where = problem ? `${problem.path.join('.') || '(body)'}: ${problem.message}` : 'unknown shape';
  throw new PlatformError(platform, 'other', null, `${platformLabels[platform]} ${path} returned an unexpected response (${where})`);
}
