import { shallowRef } from 'vue';
import type { CurrentUser } from '@shared/api/auth';
import { forgetDemoUser } from '../platform/demo-user';
import { getPlatformBridge, InteractiveLoginRequiredError, type AuthCode } from '../platform';
import { fetchCurrentUser, login, logoutSession } from './auth';
import { setSessionRenewer } from './client';
import { isSessionError } from './errors';
import { clearSessionToken, loadSessionToken, saveSessionToken } from './session-token';

/** The logged-in user, or null. Pages read it; only this module writes it. */
export const currentUser = shallowRef<CurrentUser | null>(null);

/** Exchange an auth code for a session and remember its token. */
export async function loginWithCode(authCode: AuthCode): Promise<CurrentUser> {
  const response = await login(authCode);

  saveSessionToken({ token: response.token, expiresAt: response.expiresAt });
  currentUser.value = response.user;
  return response.user;
}

/** Log in with a code from the host app, without asking the user (免登). */
export async function silentLogin(): Promise<CurrentUser> {
  const authCode = await getPlatformBridge().getAuthCode();
  return loginWithCode(authCode);
}

/**
 * Make sure there is a session before a protected page opens: reuse the saved token if the server
 * still accepts it, otherwise log in silently. Throws InteractiveLoginRequiredError when only the
 * user can log in (plain browser), and ApiRequestError or BridgeError when login fails.
 */
export async function ensureSession(): Promise<CurrentUser> {
  if (currentUser.value !== null) return currentUser.value;

  if (loadSessionToken() !== null) {
    try {
      currentUser.value = await fetchCurrentUser({ renewExpiredSession: false });
      return currentUser.value;
    } catch (error) {
      if (!isSessionError(error)) throw error;
      clearSessionToken();
    }
  }

  return silentLogin();
}

/** Revoke the session on the server and forget it here, including the demo user, so the picker shows again. */
export async function logout(): Promise<void> {
  try {
    await logoutSession();
  } catch (error) {
    // The local session ends either way; an unrevoked server session still expires on its own.
    console.warn('Logout request failed; clearing the local session anyway', error);
  }

  endLocalSession();
  forgetDemoUser();
}

function endLocalSession(): void {
  clearSessionToken();
  currentUser.value = null;
}

type SessionLostHandler = (error: unknown) => void;

let sessionLostHandler: SessionLostHandler | null = null;

/**
 * Let the API client log in again after a 401 for an expired session, before it repeats the
 * request. `onSessionLost` runs when that re-login fails, to take the user to a login page.
 */
export function installSessionRenewal(onSessionLost: SessionLostHandler): void {
  sessionLostHandler = onSessionLost;
  setSessionRenewer(renewSession);
}

async function renewSession(): Promise<boolean> {
  clearSessionToken();

  try {
    await silentLogin();
    return true;
  } catch (error) {
    if (!(error instanceof InteractiveLoginRequiredError)) console.warn('Silent re-login failed', error);
    endLocalSession();
    sessionLostHandler?.(error);
    return false;
  }
}
