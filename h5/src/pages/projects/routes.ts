import type { RouteRecordRaw } from 'vue-router';
import type { Shortcut } from '../../area';

export const routes: RouteRecordRaw[] = [
  { path: '/projects', name: 'projects', component: () => import('./ProjectsPage.vue'), meta: { title: '项目' } },
  { path: '/projects/new', name: 'project-new', component: () => import('./ProjectFormPage.vue'), meta: { title: '新建项目' } },
  { path: '/projects/tasks', name: 'project-my-tasks', component: () => import('./MyTasksPage.vue'), meta: { title: '我的项目任务' } },
  { path: '/projects/:id(\\d+)/edit', name: 'project-edit', component: () => import('./ProjectEditPage.vue'), meta: { title: '编辑项目' } },
  { path: '/projects/:id(\\d+)', name: 'project-detail', component: () => import('./ProjectDetailPage.vue'), meta: { title: '项目详情' } },
];

export const shortcuts: Shortcut[] = [{ title: '项目', icon: 'cluster-o', color: '#07c160', to: '/projects', order: 50 }];
