import type { RouteRecordRaw } from 'vue-router';
import type { Shortcut, WorkbenchSection } from '../../area';

export const routes: RouteRecordRaw[] = [
  { path: '/opportunities', name: 'opportunities', component: () => import('./OpportunitiesPage.vue'), meta: { title: '商机' } },
  { path: '/opportunities/new', name: 'opportunity-new', component: () => import('./OpportunityFormPage.vue'), meta: { title: '新建商机' } },
  { path: '/opportunities/funnel', name: 'opportunity-funnel', component: () => import('./FunnelPage.vue'), meta: { title: '销售漏斗' } },
  { path: '/opportunities/:id(\\d+)', name: 'opportunity-detail', component: () => import('./OpportunityDetailPage.vue'), meta: { title: '商机详情' } },
  { path: '/opportunities/:id(\\d+)/edit', name: 'opportunity-edit', component: () => import('./OpportunityFormPage.vue'), meta: { title: '修改商机' } },
];

export const shortcuts: Shortcut[] = [
  { title: '商机', icon: 'gem-o', color: '#ff976a', to: '/opportunities', order: 40, roles: ['rep', 'manager', 'executive'] },
  { title: '销售漏斗', icon: 'chart-trending-o', color: '#7232dd', to: '/opportunities/funnel', order: 41, roles: ['rep', 'manager', 'executive'] },
];

export const workbenchSections: WorkbenchSection[] = [{ key: 'stale-opportunities', order: 35, component: () => import('./StaleOpportunitiesSection.vue'), roles: ['rep', 'manager', 'executive'] }];
