import type { Middleware } from 'koa';
import { AppError } from './app-error.js';
import type { AppState } from './context.js';
import { authenticateToken, type AuthDeps } from '../modules/auth/auth.service.js';

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header ?? '');
  return match?.[1];
}

/** Requires `Authorization: Bearer <token>` and sets ctx.state.actor. */
export function authenticate(deps: AuthDeps): Middleware<AppState> {
  return async (ctx, next) => {
    const token = bearerToken(ctx.get('authorization'));
    if (!token) throw new AppError(401, 'unauthenticated', '请先登录');
    ctx.state.actor = await authenticateToken(deps, token);
    ctx.state.log = ctx.state.log.child({ userId: ctx.state.actor.id });
    await next();
  };
}
