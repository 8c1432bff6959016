import type { RouteRecordRaw } from 'vue-router';
import type { TabEntry } from '../../area';

export const routes: RouteRecordRaw[] = [
  {
    path: '/',
    name: 'workbench',
    component: () => import('./WorkbenchPage.vue'),
    meta: { title: '工作台', showTabbar: true },
  },
];

export const tab: TabEntry = { path: '/', title: '工作台', icon: 'wap-home-o', order: 10 };
