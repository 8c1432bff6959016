import type { RouteRecordRaw } from 'vue-router';
import type { TabEntry } from '../../area';

export const routes: RouteRecordRaw[] = [
  {
    path: '/me',
    name: 'me',
    component: () => import('./MePage.vue'),
    meta: { title: '我的', showTabbar: true },
  },
];

export const tab: TabEntry = { path: '/me', title: '我的', icon: 'user-o', order: 50 };
