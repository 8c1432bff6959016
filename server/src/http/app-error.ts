import type { FieldIssue } from '@shared/api/error.js';

/**
 * The one error type services throw. `code` is stable English for clients and logs; `message` is the
 * Chinese text shown to users and must say what to do next.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly userMessage: string,
    readonly details?: unknown,
  ) {
    super(`${code}: ${userMessage}`);
    this.name = 'AppError';
  }
}

export function validationError(issues: FieldIssue[]): AppError {
  const first = issues[0];
  const summary = first ? `${first.field}：${first.message}` : '请求内容不正确';
  return new AppError(400, 'validation_failed', `请检查填写的内容。${summary}`, issues);
}

/** A record that does not exist and a record outside the caller's scope get the same answer. */
export function notFound(entityLabel: string): AppError {
  return new AppError(404, 'not_found', `${entityLabel}不存在或您无权查看`);
}

export function forbidden(action: string): AppError {
  return new AppError(403, 'forbidden', `您没有权限${action}`);
}

export function conflict(code: string, message: string, details?: unknown): AppError {
  return new AppError(409, code, message, details);
}

export function badRequest(code: string, message: string, details?: unknown): AppError {
  return new AppError(400, code, message, details);
}
