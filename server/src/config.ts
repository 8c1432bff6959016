import { z } from 'zod';

const optionalText = z.string().trim().min(1).optional();

const aesKey = z
  .string()
  .regex(/^[A-Za-z0-9]{43}$/, 'must be the 43-character EncodingAESKey from the developer console')
  .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .default('false')
  .transform((value) => value === 'true' || value === '1');

/** Environment variables of the server. Names of platform settings match the DingTalk and WeCom consoles. */
const envSchema = z
  .object({
    NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATA_DIR: z.string().default('./data'),
    PUBLIC_URL: z.string().url('must be the HTTPS address users open, e.g. https://crm.example.com'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TIME_ZONE: z.string().default('Asia/Shanghai'),
    DEMO_MODE: booleanFlag,
    FAKE_PLATFORM_URL: z.string().url().optional(),
    PLATFORM: z.enum(['dingtalk', 'wecom'], { message: 'must be dingtalk or wecom' }),

    DINGTALK_CORP_ID: optionalText,
    DINGTALK_APP_KEY: optionalText,
    DINGTALK_APP_SECRET: optionalText,
    DINGTALK_AGENT_ID: optionalText,
    DINGTALK_API_BASE: z.string().url().default('https://oapi.dingtalk.com'),
    DINGTALK_NEW_API_BASE: z.string().url().default('https://api.dingtalk.com'),
    DINGTALK_CALLBACK_TOKEN: optionalText,
    DINGTALK_CALLBACK_AES_KEY: aesKey,
    DINGTALK_CALLBACK_OWNER_KEY: optionalText,

    WECOM_CORP_ID: optionalText,
    WECOM_AGENT_ID: optionalText,
    WECOM_SECRET: optionalText,
    WECOM_API_BASE: z.string().url().default('https://qyapi.weixin.qq.com'),
    WECOM_CALLBACK_TOKEN: optionalText,
    WECOM_CALLBACK_AES_KEY: aesKey,

    SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(60 * 24 * 7),
    SESSION_MAX_DAYS: z.coerce.number().int().positive().default(30),
    ORG_SYNC_ON_START: booleanFlag.default(true),
    JOBS_ENABLED: booleanFlag.default(true),
    WEB_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  });

const requiredByPlatform = {
  dingtalk: ['DINGTALK_CORP_ID', 'DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET', 'DINGTALK_AGENT_ID'],
  wecom: ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET'],
} as const;

/** Platform credentials the chosen PLATFORM needs; checked beside the schema so every problem is listed at once. */
function missingPlatformSettings(env: NodeJS.ProcessEnv): string[] {
  const platform = env.PLATFORM;
  if (platform !== 'dingtalk' && platform !== 'wecom') return [];
  return requiredByPlatform[platform].filter((name) => !env[name]?.trim()).map((name) => `${name}: required when PLATFORM=${platform}`);
}

export type Config = z.infer<typeof envSchema> & { version: string };

const englishMessages = z.locales.en().localeError;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError with one line per missing or invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, version = '0.0.0'): Config {
  // Operators read these lines in a terminal, so they stay English whatever locale the API uses.
  const parsed = envSchema.safeParse(env, { error: englishMessages });
  const platformProblems = missingPlatformSettings(env);
  if (!parsed.success || platformProblems.length > 0) {
    const schemaIssues = parsed.success ? [] : parsed.error.issues;
    const problems = schemaIssues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const received = issue.code === 'invalid_type' && env[name] === undefined ? 'missing; ' : '';
      return `${name}: ${received}${issue.message}`;
    });
    throw new ConfigError([...problems, ...platformProblems]);
  }
  return {
    ...parsed.data,
    DINGTALK_CALLBACK_OWNER_KEY: parsed.data.DINGTALK_CALLBACK_OWNER_KEY ?? parsed.data.DINGTALK_APP_KEY,
    version,
  };
}
