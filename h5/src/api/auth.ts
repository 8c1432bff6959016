import {
  clientConfigSchema,
  currentUserSchema,
  jsapiConfigSchema,
  loginResponseSchema,
  type ClientConfig,
  type CurrentUser,
  type JsapiConfig,
  type LoginRequest,
  type LoginResponse,
} from '@shared/api/auth';
import { apiRequest, apiSend } from './client';

export function fetchClientConfig(): Promise<ClientConfig> {
  return apiRequest('/api/client-config', clientConfigSchema, { authenticated: false });
}

export function login(request: LoginRequest): Promise<LoginResponse> {
  return apiRequest('/api/auth/login', loginResponseSchema, {
    method: 'POST',
    body: request,
    authenticated: false,
  });
}

export function fetchCurrentUser(options: { renewExpiredSession?: boolean } = {}): Promise<CurrentUser> {
  return apiRequest('/api/me', currentUserSchema, options);
}

/** Revoke the session on the server. Never renews: logging in only to log out would be pointless. */
export function logoutSession(): Promise<void> {
  return apiSend('/api/auth/logout', { method: 'POST', renewExpiredSession: false });
}

/** Signature for dd.config / ww.register. `url` is the page URL without its #fragment. */
export function fetchJsapiConfig(url: string): Promise<JsapiConfig> {
  return apiRequest('/api/platform/jsapi-config', jsapiConfigSchema, { method: 'POST', body: { url } });
}
