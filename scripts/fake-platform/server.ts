import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { dingtalkRoutes } from './dingtalk-routes.js';
import { fakeRoutes } from './fake-routes.js';
import { BadRequestBody, findRoute, readBody, type FakeReply, type Route } from './http-kit.js';
import { FakePlatformState, type InjectedFailure } from './state.js';
import { wecomRoutes } from './wecom-routes.js';

/**
 * A local stand-in for the DingTalk and WeCom open platforms on one port: the real paths, fields and error
 * codes the server's clients use, the demo organisation, and control routes under /__fake/.
 */

export interface FakePlatformOptions {
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  host?: '127.0.0.1';
  dingtalk: { corpId: string; appKey: string; appSecret: string; agentId: string };
  wecom: { corpId: string; secret: string; agentId: string };
  /** Lifetime of auth codes in seconds; default 300, as on both platforms. */
  codeTtlSeconds?: number;
  /** Lifetime of access tokens and JSAPI tickets in seconds; default 7200, as on both platforms. */
  tokenTtlSeconds?: number;
  /** Current time in milliseconds; tests pass a controllable clock. */
  now?: () => number;
  /** Receives one line per request that failed inside the fake; silent when absent. */
  logger?: Logger;
}

export interface FakePlatform {
  /** Base URL, e.g. http://127.0.0.1:3100, used as DINGTALK_API_BASE, DINGTALK_NEW_API_BASE and WECOM_API_BASE. */
  url: string;
  /** Direct access to codes, tokens, sent messages and to-dos for tests in the same process. */
  state: FakePlatformState;
  close(): Promise<void>;
}

const FAKE_PREFIX = '/__fake/';
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'content-type, accept',
};

export async function startFakePlatform(options: FakePlatformOptions): Promise<FakePlatform> {
  const state = new FakePlatformState({
    dingtalk: options.dingtalk,
    wecom: options.wecom,
    codeTtlSeconds: options.codeTtlSeconds ?? 300,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 7200,
    now: options.now ?? Date.now,
  });
  const routes = [...dingtalkRoutes(state), ...wecomRoutes(state), ...fakeRoutes(state)];

  const server = createServer((request, response) => {
    handle(request, response, routes, state).catch((error: unknown) => {
      options.logger?.error({ err: error, method: request.method, path: request.url?.split('?')[0] }, 'fake platform request failed');
      if (!response.headersSent) {
        send(response, { status: 500, body: { errcode: -1, errmsg: '系统繁忙' } }, {});
      } else {
        response.destroy();
      }
    });
  });

  // Clients (undici) drop idle keep-alive sockets after 4 s. The server must keep them longer, or a
  // socket it closes late, e.g. while the same process is busy seeding, is reused and reset mid-request.
  server.keepAliveTimeout = 65_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, routes: Route[], state: FakePlatformState): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://fake-platform.local');
  const method = request.method ?? 'GET';
  const isControlRoute = url.pathname.startsWith(FAKE_PREFIX);
  const extraHeaders = isControlRoute ? CORS_HEADERS : {};

  if (isControlRoute && method === 'OPTIONS') {
    send(response, { status: 204, body: null }, extraHeaders);
    return;
  }

  const match = findRoute(routes, method, url.pathname);
  if (!match) {
    send(response, { status: 404, body: { errcode: 404, errmsg: `fake platform has no route ${method} ${url.pathname}` } }, extraHeaders);
    return;
  }

  if (!isControlRoute) {
    state.requests.push({ method, path: url.pathname });
  }
  const failure = isControlRoute ? null : state.takeFailure(url.pathname);
  if (failure) {
    // Drain the body so the connection can be reused.
    await readBody(request).catch(() => null);
    send(response, toFailureReply(url.pathname, failure), extraHeaders);
    return;
  }

  let body: unknown;
  try {
    body = await readBody(request);
  } catch (error) {
    if (error instanceof BadRequestBody) {
      send(response, { status: 400, body: { errcode: 40035, errmsg: error.message } }, extraHeaders);
      return;
    }
    throw error;
  }

  const reply = await match.route.handler({
    method,
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    params: match.params,
    body,
  });
  send(response, reply, extraHeaders);
}

/** oapi and /cgi-bin paths fail as HTTP 200 + errcode; v1.0 paths as an HTTP error with a string code. */
function toFailureReply(path: string, failure: InjectedFailure): FakeReply {
  if (path.startsWith('/v1.0/')) {
    return { status: failure.httpStatus ?? 500, body: { code: String(failure.errcode), message: 'injected failure', requestid: 'fake' } };
  }
  const errmsg = failure.errcode === -1 ? '系统繁忙' : 'injected failure';
  return { status: 200, body: { errcode: Number(failure.errcode), errmsg } };
}

function send(response: ServerResponse, reply: FakeReply, extraHeaders: Record<string, string>): void {
  const headers: Record<string, string> = { ...extraHeaders };
  if (reply.status === 204 || reply.body === null) {
    response.writeHead(reply.status, headers).end();
    return;
  }

  const isText = typeof reply.body === 'string';
  headers['content-type'] = reply.contentType ?? (isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8');
  response.writeHead(reply.status, headers).end(isText ? reply.body : JSON.stringify(reply.body));
}
