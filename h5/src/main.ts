import { createApp } from 'vue';
import 'vant/lib/index.css';
import './styles/base.css';
import App from './App.vue';
import BootFailure from './components/BootFailure.vue';
import { loadClientConfig } from './api/client-config';
import { installSessionRenewal } from './api/session';
import { initPlatformBridge } from './platform';
import { router } from './router';
import { loginFallbackRoute } from './pages/login/login-fallback';

/**
 * Notification links name a page by path (https://crm.example.com/approvals/12) so they read well and
 * survive a later switch of router mode; the app routes by hash, so such a path becomes /#/approvals/12.
 */
function movePathIntoHash(): void {
  const { pathname, search, hash } = window.location;
  if (pathname === '/' || pathname === '/index.html' || hash.startsWith('#/')) return;
  window.history.replaceState(null, '', `/${search}#${pathname}`);
}

async function start(): Promise<void> {
  movePathIntoHash();
  let config;
  try {
    config = await loadClientConfig();
  } catch (error) {
    console.error('Loading /api/client-config failed', error);
    createApp(BootFailure).mount('#app');
    return;
  }

  initPlatformBridge(config);
  installSessionRenewal((error) => {
    void router.replace(loginFallbackRoute(error, router.currentRoute.value.fullPath));
  });

  createApp(App).use(router).mount('#app');
}

void start();
