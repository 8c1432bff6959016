import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { ChatPlatform } from './chat-platform.js';
import { DingTalkClient } from './dingtalk/dingtalk-client.js';
import { WeComClient } from './wecom/wecom-client.js';

/** Builds the client of the platform named by PLATFORM, pointed at the configured API base URLs. */
export function createChatPlatform(config: Config, logger: Logger): ChatPlatform {
  if (config.PLATFORM === 'dingtalk') {
    return new DingTalkClient({
      corpId: requireSetting(config, 'DINGTALK_CORP_ID'),
      appKey: requireSetting(config, 'DINGTALK_APP_KEY'),
      appSecret: requireSetting(config, 'DINGTALK_APP_SECRET'),
      agentId: requireSetting(config, 'DINGTALK_AGENT_ID'),
      apiBase: config.DINGTALK_API_BASE,
      newApiBase: config.DINGTALK_NEW_API_BASE,
      logger: logger.child({ platform: 'dingtalk' }),
    });
  }

  return new WeComClient({
    corpId: requireSetting(config, 'WECOM_CORP_ID'),
    secret: requireSetting(config, 'WECOM_SECRET'),
    agentId: requireSetting(config, 'WECOM_AGENT_ID'),
    apiBase: config.WECOM_API_BASE,
    logger: logger.child({ platform: 'wecom' }),
  });
}

type PlatformSetting =
  | 'DINGTALK_CORP_ID'
  | 'DINGTALK_APP_KEY'
  | 'DINGTALK_APP_SECRET'
  | 'DINGTALK_AGENT_ID'
  | 'WECOM_CORP_ID'
  | 'WECOM_SECRET'
  | 'WECOM_AGENT_ID';

/** loadConfig already requires these for the chosen platform; this narrows the type and guards hand-built configs. */
function requireSetting(config: Config, name: PlatformSetting): string {
  const value = config[name];
  if (!value) {
    throw new Error(`${name} is missing; it is required when PLATFORM=${config.PLATFORM}`);
  }
  return value;
}
