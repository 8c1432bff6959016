import type { RouteRecordRaw } from 'vue-router';
import { isDemoPickerAvailable } from './login-fallback';

export const routes: RouteRecordRaw[] = [
  {
    path: '/login/demo',
    name: 'login-demo',
    component: () => import('./DemoLoginPage.vue'),
    meta: { public: true, title: '选择演示账号' },
    // Outside the demo the picker must not exist; the chat app is the only way in.
    beforeEnter: () => (isDemoPickerAvailable() ? true : { name: 'open-in-app' }),
  },
  {
    path: '/open-in-app',
    name: 'open-in-app',
    component: () => import('./OpenInAppPage.vue'),
    meta: { public: true, title: '请在钉钉或企业微信中打开' },
  },
  {
    path: '/login/failed',
    name: 'login-failed',
    component: () => import('./LoginFailedPage.vue'),
    meta: { public: true, title: '登录失败' },
  },
  {
    path: '/signed-out',
    name: 'signed-out',
    component: () => import('./SignedOutPage.vue'),
    meta: { public: true, title: '已退出登录' },
  },
];
