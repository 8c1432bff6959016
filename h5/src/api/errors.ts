import { apiErrorSchema, fieldIssueSchema, type FieldIssue } from '@shared/api/error';

/** A request that did not succeed. `message` is Chinese and meant for the user; `code` is for code. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** Per-field problems of a validation error, so forms can show each next to its field. */
  readonly fieldIssues: FieldIssue[];

  constructor(init: { status: number; code: string; message: string; details?: unknown }) {
    super(init.message);
    this.name = 'ApiRequestError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.fieldIssues = toFieldIssues(init.details);
  }

  /** Message of the first issue on `field`, for a form item's error slot. */
  fieldMessage(field: string): string | undefined {
    return this.fieldIssues.find((issue) => issue.field === field)?.message;
  }
}

function toFieldIssues(details: unknown): FieldIssue[] {
  const parsed = fieldIssueSchema.array().safeParse(details);
  return parsed.success ? parsed.data : [];
}

/** Check whether the server rejected the request for a missing or expired session token. */
export function isSessionError(error: unknown): error is ApiRequestError {
  return (
    error instanceof ApiRequestError &&
    error.status === 401 &&
    (error.code === 'session_expired' || error.code === 'unauthenticated')
  );
}

/** Build the error for a non-2xx response, whether or not its body has the usual error shape. */
export async function readErrorResponse(response: Response): Promise<ApiRequestError> {
  const body: unknown = await response.json().catch(() => null);
  const parsed = apiErrorSchema.safeParse(body);

  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiRequestError({ status: response.status, code, message, details });
  }

  // A proxy or gateway responded instead of our server (502 pages, WAF blocks and the like).
  return new ApiRequestError({
    status: response.status,
    code: 'unexpected_response',
    message: `服务器暂时无法处理请求（HTTP ${response.status}），请稍后重试`,
  });
}

export function networkError(cause: unknown): ApiRequestError {
  const error = new ApiRequestError({ status: 0, code: 'network_error', message: '网络连接失败，请检查网络后重试' });
  error.cause = cause;
  return error;
}
