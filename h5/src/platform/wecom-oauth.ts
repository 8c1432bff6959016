import type { ClientConfig } from '@shared/api/auth';

// WeCom's OAuth2 login for H5 apps: send the browser to the authorize URL, WeCom sends it back
// to redirect_uri with ?code=…&state=… added to the query string.

const AUTHORIZE_URL = 'https://open.weixin.qq.com/connect/oauth2/authorize';
const PENDING_KEY = 'crm.wecomOAuth';

interface PendingOAuth {
  state: string;
  /** The hash route the user was on, restored after the round trip. */
  hash: string;
}

/** Send the browser to WeCom's authorize page for a silent (snsapi_base) login. */
export function redirectToOAuth(config: ClientConfig): void {
  const state = randomState();
  const pending: PendingOAuth = { state, hash: location.hash };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));

  // The route lives in the fragment, which is kept out of redirect_uri and restored from sessionStorage.
  const redirectUri = location.origin + location.pathname + withoutOAuthParams(location.search);
  const params = new URLSearchParams({
    appid: config.corpId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'snsapi_base',
    state,
    agentid: config.agentId,
  });
  location.replace(`${AUTHORIZE_URL}?${params.toString()}#wechat_redirect`);
}

/**
 * Take the code WeCom appended to the URL, and remove it from the address bar and history so a
 * reload or a shared link never reuses it. Returns null when there is no code or its state does
 * not match the one this tab sent.
 */
export function takeOAuthCode(): string | null {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const state = params.get('state');
  if (code === null) return null;

  const pending = readPending();
  sessionStorage.removeItem(PENDING_KEY);

  const cleanUrl = location.pathname + withoutOAuthParams(location.search) + (pending?.hash ?? location.hash);
  history.replaceState(history.state, '', cleanUrl);

  return pending !== null && pending.state === state ? code : null;
}

function readPending(): PendingOAuth | null {
  const raw = sessionStorage.getItem(PENDING_KEY);
  if (raw === null) return null;

  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && 'state' in value && 'hash' in value) {
      const { state, hash } = value;
      if (typeof state === 'string' && typeof hash === 'string') return { state, hash };
    }
  } catch (error) {
    console.warn('Ignoring an unreadable pending WeCom OAuth entry', error);
  }
  return null;
}

function withoutOAuthParams(search: string): string {
  const params = new URLSearchParams(search);
  params.delete('code');
  params.delete('state');
  const rest = params.toString();
  return rest ? `?${rest}` : '';
}

/** WeCom allows a state of letters and digits, up to 128 bytes. */
function randomState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
