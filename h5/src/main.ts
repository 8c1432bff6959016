import './boot/move-path-into-hash';
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

async function start(): Promise<void> {
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
