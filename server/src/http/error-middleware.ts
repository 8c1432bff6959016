import type { Middleware } from 'koa';
import { AppError } from './app-error.js';
import type { AppState } from './context.js';

/** Maps AppError to its status and body; anything else becomes a 500 whose stack goes only to the log. */
export function errorMiddleware(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) {
        throw new AppError(404, 'route_not_found', `接口 ${ctx.method} ${ctx.path} 不存在`);
      }
    } catch (error) {
      if (error instanceof AppError) {
        ctx.status = error.status;
        ctx.body = { error: { code: error.code, message: error.userMessage, details: error.details } };
        if (error.status >= 500) ctx.state.log.error({ err: error }, 'request failed');
        return;
      }
      const status = (error as { status?: number; expose?: boolean }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        // Errors raised by Koa itself or the body parser (payload too large, malformed JSON).
        ctx.status = status;
        ctx.body = { error: { code: status === 413 ? 'payload_too_large' : 'bad_request', message: clientErrorMessage(status) } };
        ctx.state.log.warn({ err: error }, 'request rejected');
        return;
      }
      ctx.state.log.error({ err: error }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { error: { code: 'internal_error', message: '服务器出错了，请稍后重试；如果一直出现，请联系管理员并提供请求编号 ' + ctx.state.requestId } };
    }
  };
}

function clientErrorMessage(status: number): string {
  if (status === 413) return '上传的内容太大，请缩小后重试';
  if (status === 415) return '不支持的内容类型，请以 JSON 提交';
  return '请求格式不正确，请检查后重试';
}
