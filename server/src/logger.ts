import { pino, type Logger } from 'pino';

/**
 * Paths pino blanks in every log line. Tokens, secrets, auth codes and phone numbers must never reach a log,
 * whatever object a caller passes.
 */
const redactedPaths = [
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'access_token',
  'secret',
  '*.secret',
  'code',
  'authCode',
  '*.authCode',
  'mobile',
  '*.mobile',
  'phone',
  '*.phone',
  'req.headers.authorization',
  'req.headers.cookie',
];

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'publisher-sales' },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export type { Logger };
