import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const dingtalkEnv = {
  PUBLIC_URL: 'https://crm.example.com',
  PLATFORM: 'dingtalk',
  DINGTALK_CORP_ID: 'dingcorp',
  DINGTALK_APP_KEY: 'appkey',
  DINGTALK_APP_SECRET: 'secret',
  DINGTALK_AGENT_ID: '123',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('accepts a complete DingTalk environment with defaults', () => {
    const config = loadConfig(dingtalkEnv);
    expect(config.PORT).toBe(3000);
    expect(config.DINGTALK_API_BASE).toBe('https://oapi.dingtalk.com');
    expect(config.DINGTALK_CALLBACK_OWNER_KEY).toBe('appkey');
    expect(config.DEMO_MODE).toBe(false);
  });

  it('names every missing platform setting on its own line', () => {
    const problems = problemsOf({ PUBLIC_URL: 'https://crm.example.com', PLATFORM: 'wecom' });
    expect(problems).toContain('WECOM_CORP_ID: required when PLATFORM=wecom');
    expect(problems).toContain('WECOM_AGENT_ID: required when PLATFORM=wecom');
    expect(problems).toContain('WECOM_SECRET: required when PLATFORM=wecom');
  });

  it('lists schema and platform problems together', () => {
    const problems = problemsOf({ PLATFORM: 'wecom' });
    expect(problems.some((line) => line.startsWith('PUBLIC_URL: missing'))).toBe(true);
    expect(problems).toContain('WECOM_SECRET: required when PLATFORM=wecom');
  });

  it('reports a missing PLATFORM and PUBLIC_URL', () => {
    const problems = problemsOf({});
    expect(problems.some((line) => line.startsWith('PLATFORM:'))).toBe(true);
    expect(problems.some((line) => line.startsWith('PUBLIC_URL:'))).toBe(true);
  });

  it('rejects a callback AES key of the wrong length', () => {
    const problems = problemsOf({ ...dingtalkEnv, DINGTALK_CALLBACK_AES_KEY: 'short' });
    expect(problems).toEqual(['DINGTALK_CALLBACK_AES_KEY: must be the 43-character EncodingAESKey from the developer console']);
  });

  it('rejects a port that is not a number', () => {
    const problems = problemsOf({ ...dingtalkEnv, PORT: 'eighty' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT:/);
  });
});
