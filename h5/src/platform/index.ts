import type { ClientConfig } from '@shared/api/auth';
import type { HostApp, PlatformBridge } from './bridge';
import { createBrowserBridge } from './browser-bridge';
import { createDingTalkBridge } from './dingtalk-bridge';
import { createWeComBridge } from './wecom-bridge';

export * from './bridge';

let activeBridge: PlatformBridge | null = null;

/** Tell the host app from the user agent: DingTalk's contains "DingTalk", WeCom's contains "wxwork". */
export function detectHostApp(userAgent: string): HostApp {
  if (/DingTalk/i.test(userAgent)) return 'dingtalk';
  if (/wxwork/i.test(userAgent)) return 'wecom';
  return 'browser';
}

/** Create the bridge for this page load. Called once at start-up, before the router runs. */
export function initPlatformBridge(config: ClientConfig, userAgent = navigator.userAgent): PlatformBridge {
  const hostApp = detectHostApp(userAgent);

  if (hostApp === 'dingtalk') activeBridge = createDingTalkBridge(config);
  else if (hostApp === 'wecom') activeBridge = createWeComBridge(config);
  else activeBridge = createBrowserBridge(config);

  return activeBridge;
}

export function getPlatformBridge(): PlatformBridge {
  if (activeBridge === null) throw new Error('getPlatformBridge() called before initPlatformBridge()');
  return activeBridge;
}
