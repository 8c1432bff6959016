import type { RouteRecordRaw } from 'vue-router';
import type { Shortcut } from '../../area';

export const routes: RouteRecordRaw[] = [
  { path: '/books', name: 'books', component: () => import('./BooksPage.vue'), meta: { title: '书目' } },
  { path: '/books/import', name: 'book-import', component: () => import('./BookImportPage.vue'), meta: { title: '导入书目' } },
  { path: '/books/:id(\\d+)', name: 'book-detail', component: () => import('./BookDetailPage.vue'), meta: { title: '图书详情' } },
];

export const shortcuts: Shortcut[] = [
  { title: '书目', icon: 'records-o', color: '#1989fa', to: '/books', order: 43 },
  { title: '导入书目', icon: 'upgrade', color: '#1989fa', to: '/books/import', order: 44, roles: ['admin', 'editorial', 'manager'] },
];
