import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** A minimal router for the fake platform: exact paths with `:name` segments, JSON or form bodies. */

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  /** Parsed JSON or form-urlencoded body; the raw text for other content types; null when empty. */
  body: unknown;
}

export interface FakeReply {
  status: number;
  body: unknown;
  contentType?: string;
}

export type RouteHandler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface Route {
  method: string;
  pattern: string;
  handler: RouteHandler;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function reply(body: unknown, status = 200): FakeReply {
  return { status, body };
}

export function findRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | null {
  const pathSegments = path.split('/');
  for (const route of routes) {
    if (route.method !== method) {
      continue;
    }
    const patternSegments = route.pattern.split('/');
    if (patternSegments.length !== pathSegments.length) {
      continue;
    }

    const params: Record<string, string> = {};
    const matches = patternSegments.every((segment, index) => {
      const actual = pathSegments[index] ?? '';
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = decodeURIComponent(actual);
        return actual !== '';
      }
      return segment === actual;
    });
    if (matches) {
      return { route, params };
    }
  }
  return null;
}

export class BadRequestBody extends Error {}

export async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new BadRequestBody(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(buffer);
  }

  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') {
    return null;
  }

  const contentType = request.headers['content-type'] ?? '';
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (contentType.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      throw new BadRequestBody('request body is not valid JSON');
    }
  }
  return text;
}

/** Reads a field of a JSON body as a string; numbers are accepted because the real APIs accept both. */
export function stringField(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const value: unknown = Reflect.get(body, name);
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return String(value);
  }
  return undefined;
}

export function numberField(body: unknown, name: string): number | undefined {
  const text = stringField(body, name);
  if (text === undefined || text.trim() === '') {
    return undefined;
  }
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

export function field(body: unknown, name: string): unknown {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  return Reflect.get(body, name);
}
