import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import serve from 'koa-static';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import '@shared/zod-locale.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { authenticate } from './http/authenticate.js';
import type { AppState } from './http/context.js';
import { errorMiddleware } from './http/error-middleware.js';
import { requestContext } from './http/request-context.js';
import type { Clock } from './lib/clock.js';
import type { ChatPlatform } from './platform/chat-platform.js';
import { registerModules } from './modules/index.js';
import type { ModuleDeps } from './modules/module-deps.js';

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  clock: Clock;
  platform: ChatPlatform;
  /** Folder of the built H5; defaults to h5/dist beside the repository root. */
  staticDir?: string;
}

const defaultStaticDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../h5/dist');

/** Builds the Koa app from its dependencies without listening, so tests can drive it over HTTP on port 0. */
export function buildApp(deps: AppDeps): { app: Koa<AppState>; openApiDocument: () => object } {
  const app = new Koa<AppState>();
  app.proxy = true;
  const router = new Router<AppState>();
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });

  const moduleDeps: ModuleDeps = {
    ...deps,
    router,
    registry,
    authenticate: authenticate(deps),
  };

  router.get('/api/health', async (ctx) => {
    let db = true;
    try {
      await sql`select 1`.execute(deps.db);
    } catch (error) {
      db = false;
      ctx.state.log.error({ err: error }, 'health check: database unavailable');
    }
    ctx.status = db ? 200 : 503;
    ctx.body = { ok: db, db, version: deps.config.version };
  });

  registerModules(moduleDeps);

  let cachedDocument: object | undefined;
  const openApiDocument = () => {
    cachedDocument ??= new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: '出版社销售管理系统 API', version: deps.config.version, description: '客户、拜访、商机、报价、合同审批、回款与看板的 REST 接口' },
      servers: [{ url: deps.config.PUBLIC_URL }],
    });
    return cachedDocument;
  };
  router.get('/api/openapi.json', (ctx) => {
    ctx.body = openApiDocument();
  });

  app.use(requestContext(deps.logger));
  app.use(errorMiddleware());
  app.use(securityHeaders());
  app.use(bodyParser({ enableTypes: ['json', 'xml', 'text'], jsonLimit: '2mb', xmlLimit: '1mb' }));
  app.use(router.routes());
  app.use(router.allowedMethods());

  const staticDir = deps.staticDir ?? defaultStaticDir;
  app.use(serve(staticDir, { maxage: 0, index: 'index.html' }));
  app.use(spaFallback(staticDir));

  return { app, openApiDocument };
}

function securityHeaders(): Koa.Middleware<AppState> {
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    await next();
  };
}

/** Serves index.html for client-side routes so a deep link like /customers/12 opens the H5. */
function spaFallback(staticDir: string): Koa.Middleware<AppState> {
  const indexFile = path.join(staticDir, 'index.html');
  return async (ctx, next) => {
    await next();
    if (ctx.status !== 404 || ctx.body !== undefined || ctx.method !== 'GET' || ctx.path.startsWith('/api/')) return;
    if (!fs.existsSync(indexFile)) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'H5 页面尚未构建：请先运行 npm run build:h5';
      return;
    }
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = fs.createReadStream(indexFile);
  };
}
