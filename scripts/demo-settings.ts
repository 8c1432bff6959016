/**
 * Credentials the demo's fake open platform accepts and the server uses against it. They open nothing
 * outside this machine; a real deployment sets its own in the environment.
 */
export const demoPlatformCredentials = {
  dingtalk: { corpId: 'dingdemo5f3a1c9e7b2d4a68', appKey: 'dingdemoappkey7h2k9q', appSecret: 'demo-dingtalk-app-secret-not-for-production', agentId: '3201457789' },
  wecom: { corpId: 'wwdemo8c4e2a7f1b9d3c50', secret: 'demo-wecom-secret-not-for-production', agentId: '1000017' },
};

export const demoCallbackSettings = {
  DINGTALK_CALLBACK_TOKEN: 'demoDingtalkCallbackToken',
  DINGTALK_CALLBACK_AES_KEY: 'k3Hq8ZpW2mN5vR7tY1uB4cE6gJ9dL0aS2fX5hK8nQ3w',
  WECOM_CALLBACK_TOKEN: 'demoWecomCallbackToken',
  WECOM_CALLBACK_AES_KEY: 'p9Lm2Qx7Rt4Vn6Bz1Kc8Hs3Jd5Fg0Wy2Ae4Uo7Ti9Er',
};

/** Server environment for a demo run; values already in `overrides` win. */
export function demoServerEnv(options: { port: number; dataDir: string; platform: 'dingtalk' | 'wecom'; fakePlatformUrl: string; overrides?: Record<string, string | undefined> }): Record<string, string> {
  const { dingtalk, wecom } = demoPlatformCredentials;
  const defaults: Record<string, string> = {
    NODE_ENV: 'development',
    PORT: String(options.port),
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir,
    PUBLIC_URL: `http://127.0.0.1:${options.port}`,
    LOG_LEVEL: 'warn',
    DEMO_MODE: 'true',
    PLATFORM: options.platform,
    FAKE_PLATFORM_URL: options.fakePlatformUrl,
    DINGTALK_CORP_ID: dingtalk.corpId,
    DINGTALK_APP_KEY: dingtalk.appKey,
    DINGTALK_APP_SECRET: dingtalk.appSecret,
    DINGTALK_AGENT_ID: dingtalk.agentId,
    DINGTALK_API_BASE: options.fakePlatformUrl,
    DINGTALK_NEW_API_BASE: options.fakePlatformUrl,
    WECOM_CORP_ID: wecom.corpId,
    WECOM_SECRET: wecom.secret,
    WECOM_AGENT_ID: wecom.agentId,
    WECOM_API_BASE: options.fakePlatformUrl,
    ...demoCallbackSettings,
  };
  const merged: Record<string, string> = { ...defaults };
  for (const [name, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined && value !== '') merged[name] = value;
  }
  return merged;
}
