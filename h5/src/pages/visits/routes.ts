import type { RouteRecordRaw } from 'vue-router';
import type { Shortcut, TabEntry } from '../../area';

export const routes: RouteRecordRaw[] = [
  {
    path: '/visits',
    name: 'visits',
    component: () => import('./VisitsPage.vue'),
    meta: { title: '拜访', showTabbar: true },
  },
];

export const tab: TabEntry = { path: '/visits', title: '拜访', icon: 'location-o', order: 30 };

export const shortcuts: Shortcut[] = [{ title: '拜访签到', icon: 'location-o', color: '#07c160', to: '/visits', order: 30 }];
