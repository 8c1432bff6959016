import type { ClientConfig } from '@shared/api/auth';
import { mintFakeAuthCode } from '../api/fake-platform';
import { InteractiveLoginRequiredError, type AuthCode, type PlatformBridge } from './bridge';
import { getBrowserLocation, pickImageFiles } from './browser-capabilities';
import { loadRememberedDemoUser } from './demo-user';

/**
 * Create the bridge for an ordinary browser, where no chat app vouches for the user. Only the demo
 * can log in here. The picker page mints the first code, and this bridge mints later ones for the
 * remembered user.
 */
export function createBrowserBridge(config: ClientConfig): PlatformBridge {
  return {
    hostApp: 'browser',

    async getAuthCode(): Promise<AuthCode> {
      const userid = loadRememberedDemoUser();
      if (!config.demoMode || !config.fakePlatformUrl || userid === null) {
        throw new InteractiveLoginRequiredError();
      }

      const code = await mintFakeAuthCode(config.fakePlatformUrl, config.platform, userid);
      return { platform: config.platform, code };
    },

    async setTitle(title) {
      document.title = title;
    },

    getLocation: getBrowserLocation,

    async scanBarcode() {
      return null;
    },

    chooseImage: pickImageFiles,
  };
}
