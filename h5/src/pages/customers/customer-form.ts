import type { ZodError } from 'zod';

/** Field path → first message, from a shared-schema parse, for the form's error slots. */
export function fieldErrorsOf(error: ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join('.');
    errors[field] ??= issue.message;
  }
  return errors;
}

/** Splits '重点, 连锁；教辅' into tags. */
export function parseTags(text: string): string[] {
  return text
    .split(/[,，、;；\s]+/)
    .map((tag) => tag.trim())
    .filter(Boolean);
}
