import type { RouteRecordRaw } from 'vue-router';
import type { Shortcut, TabEntry } from '../../area';

export const routes: RouteRecordRaw[] = [
  {
    path: '/customers',
    name: 'customers',
    component: () => import('./CustomersPage.vue'),
    meta: { title: '客户', showTabbar: true },
  },
];

export const tab: TabEntry = { path: '/customers', title: '客户', icon: 'friends-o', order: 20 };

export const shortcuts: Shortcut[] = [{ title: '我的客户', icon: 'friends-o', color: '#1989fa', to: '/customers', order: 20 }];
