import type { RouteRecordRaw } from 'vue-router';
import type { Shortcut, TabEntry } from '../../area';

export const routes: RouteRecordRaw[] = [
  { path: '/dashboard', name: 'dashboard', component: () => import('./DashboardPage.vue'), meta: { title: '数据看板', showTabbar: true } },
  { path: '/dashboard/kpis', name: 'kpi-table', component: () => import('./KpiTablePage.vue'), meta: { title: '业绩指标表' } },
  { path: '/dashboard/targets', name: 'targets', component: () => import('./TargetsPage.vue'), meta: { title: '月度目标' } },
  { path: '/dashboard/records/:kind(opportunities|visits)', name: 'dashboard-records', component: () => import('./RecordsPage.vue'), meta: { title: '明细' } },
];

export const tab: TabEntry = { path: '/dashboard', title: '看板', icon: 'chart-trending-o', order: 35 };

export const shortcuts: Shortcut[] = [{ title: '业绩指标', icon: 'bar-chart-o', color: '#1989fa', to: '/dashboard/kpis', order: 60 }];
