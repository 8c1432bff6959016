import type { z } from 'zod';
import type { FieldIssue } from '@shared/api/error.js';
import { validationError } from './app-error.js';

/** Parses input with a shared schema; a failure becomes a 400 naming each field and what is wrong with it. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, prefix = ''): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(请求)',
    message: issue.message,
  }));
  throw validationError(issues);
}
