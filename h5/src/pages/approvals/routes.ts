import type { RouteRecordRaw } from 'vue-router';
import type { Shortcut, TabEntry, WorkbenchSection } from '../../area';

export const routes: RouteRecordRaw[] = [
  {
    path: '/approvals',
    name: 'approvals',
    component: () => import('./ApprovalsPage.vue'),
    meta: { title: '审批', showTabbar: true },
  },
  {
    path: '/approvals/templates',
    name: 'approval-templates',
    component: () => import('./TemplatesPage.vue'),
    meta: { title: '审批模板' },
  },
  {
    path: '/approvals/templates/:code',
    name: 'approval-template-editor',
    component: () => import('./TemplateEditorPage.vue'),
    meta: { title: '编辑审批模板' },
  },
  {
    path: '/approvals/:id(\\d+)',
    name: 'approval-detail',
    component: () => import('./ApprovalDetailPage.vue'),
    meta: { title: '审批详情' },
  },
];

export const tab: TabEntry = { path: '/approvals', title: '审批', icon: 'todo-list-o', order: 40 };

export const shortcuts: Shortcut[] = [
  { title: '待我审批', icon: 'todo-list-o', color: '#ff976a', to: '/approvals', order: 40 },
  { title: '审批模板', icon: 'setting-o', color: '#969799', to: '/approvals/templates', order: 90, roles: ['admin'] },
];

export const workbenchSections: WorkbenchSection[] = [{ key: 'pending-approvals', order: 10, component: () => import('./PendingApprovalsSection.vue') }];
