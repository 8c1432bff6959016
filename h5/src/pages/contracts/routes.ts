import type { RouteRecordRaw } from 'vue-router';
import type { Shortcut } from '../../area';

export const routes: RouteRecordRaw[] = [
  { path: '/contracts', name: 'contracts', component: () => import('./ContractsPage.vue'), meta: { title: '合同' } },
  { path: '/contracts/new', name: 'contract-new', component: () => import('./ContractFormPage.vue'), meta: { title: '新建合同' } },
  { path: '/contracts/:id(\\d+)', name: 'contract-detail', component: () => import('./ContractDetailPage.vue'), meta: { title: '合同详情' } },
  { path: '/contracts/:id(\\d+)/edit', name: 'contract-edit', component: () => import('./ContractFormPage.vue'), meta: { title: '编辑合同' } },
];

export const shortcuts: Shortcut[] = [{ title: '合同', icon: 'description', color: '#7232dd', to: '/contracts', order: 45 }];
