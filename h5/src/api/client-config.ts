import type { ClientConfig } from '@shared/api/auth';
import { fetchClientConfig } from './auth';

let loadedConfig: ClientConfig | null = null;

/** Fetch the public client settings once, at start-up, before the router and the bridge exist. */
export async function loadClientConfig(): Promise<ClientConfig> {
  loadedConfig = await fetchClientConfig();
  return loadedConfig;
}

export function getClientConfig(): ClientConfig {
  if (loadedConfig === null) throw new Error('getClientConfig() called before loadClientConfig()');
  return loadedConfig;
}
