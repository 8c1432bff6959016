import type { RouteRecordRaw } from 'vue-router';
import type { Shortcut } from '../../area';

export const routes: RouteRecordRaw[] = [
  { path: '/quotes', name: 'quotes', component: () => import('./QuotesPage.vue'), meta: { title: '报价单' } },
  { path: '/quotes/new', name: 'quote-new', component: () => import('./QuoteEditorPage.vue'), meta: { title: '新建报价单' } },
  { path: '/quotes/:id(\\d+)', name: 'quote-detail', component: () => import('./QuoteDetailPage.vue'), meta: { title: '报价单' } },
  { path: '/quotes/:id(\\d+)/edit', name: 'quote-edit', component: () => import('./QuoteEditorPage.vue'), meta: { title: '修改报价单' } },
];

export const shortcuts: Shortcut[] = [{ title: '报价单', icon: 'balance-list-o', color: '#ee0a24', to: '/quotes', order: 42, roles: ['rep', 'manager', 'executive'] }];
