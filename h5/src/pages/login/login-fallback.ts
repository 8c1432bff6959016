import type { RouteLocationRaw } from 'vue-router';
import { ApiRequestError } from '../../api/errors';
import { getClientConfig } from '../../api/client-config';
import { BridgeError, getPlatformBridge, InteractiveLoginRequiredError } from '../../platform';

/** True when the demo user picker may replace the chat app's login: demo mode in a plain browser. */
export function isDemoPickerAvailable(): boolean {
  const config = getClientConfig();
  return config.demoMode && config.fakePlatformUrl !== null && getPlatformBridge().hostApp === 'browser';
}

/** Choose the route for a user whose protected page could not get a session. */
export function loginFallbackRoute(error: unknown, redirect: string): RouteLocationRaw {
  if (error instanceof InteractiveLoginRequiredError) {
    return isDemoPickerAvailable() ? { name: 'login-demo', query: { redirect } } : { name: 'open-in-app' };
  }

  if (!(error instanceof ApiRequestError || error instanceof BridgeError)) {
    console.error('Login failed unexpectedly', error);
  }
  const message = error instanceof ApiRequestError || error instanceof BridgeError ? error.message : '';
  return { name: 'login-failed', query: { message, redirect } };
}

/** Choose the route after logout. The demo shows the picker, and the chat apps show a page to log in again. */
export function afterLogoutRoute(): RouteLocationRaw {
  return isDemoPickerAvailable() ? { name: 'login-demo' } : { name: 'signed-out' };
}
