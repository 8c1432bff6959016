import type { RouteRecordRaw } from 'vue-router';
import type { Shortcut, TabEntry } from '../../area';

export const routes: RouteRecordRaw[] = [
  { path: '/customers', name: 'customers', component: () => import('./CustomersPage.vue'), meta: { title: '客户', showTabbar: true } },
  { path: '/customers/new', name: 'customer-new', component: () => import('./CustomerFormPage.vue'), meta: { title: '新建客户' } },
  { path: '/customers/import', name: 'customer-import', component: () => import('./CustomerImportPage.vue'), meta: { title: '导入客户' } },
  { path: '/customers/requests', name: 'customer-requests', component: () => import('./CollaborationRequestsPage.vue'), meta: { title: '协作申请' } },
  { path: '/customers/returning', name: 'customer-pool-returns', component: () => import('./PoolReturnsPage.vue'), meta: { title: '即将退回公海' } },
  { path: '/customers/pool-settings', name: 'customer-pool-settings', component: () => import('./PoolSettingsPage.vue'), meta: { title: '公海规则' } },
  { path: '/customers/:id(\\d+)', name: 'customer-detail', component: () => import('./CustomerDetailPage.vue'), meta: { title: '客户详情' } },
  { path: '/customers/:id(\\d+)/edit', name: 'customer-edit', component: () => import('./CustomerFormPage.vue'), meta: { title: '修改客户' } },
  { path: '/customers/:id(\\d+)/contacts/new', name: 'contact-new', component: () => import('./ContactFormPage.vue'), meta: { title: '添加联系人' } },
  { path: '/customers/:id(\\d+)/contacts/:contactId(\\d+)/edit', name: 'contact-edit', component: () => import('./ContactFormPage.vue'), meta: { title: '修改联系人' } },
];

export const tab: TabEntry = { path: '/customers', title: '客户', icon: 'friends-o', order: 20 };

export const shortcuts: Shortcut[] = [
  { title: '我的客户', icon: 'friends-o', color: '#1989fa', to: '/customers', order: 20 },
  { title: '公海', icon: 'cluster-o', color: '#07c160', to: '/customers?view=pool', order: 21, roles: ['rep', 'manager'] },
];
