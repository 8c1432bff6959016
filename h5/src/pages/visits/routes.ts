import type { RouteRecordRaw } from 'vue-router';
import type { Shortcut, TabEntry, WorkbenchSection } from '../../area';

export const routes: RouteRecordRaw[] = [
  { path: '/visits', name: 'visits', component: () => import('./VisitsPage.vue'), meta: { title: '拜访', showTabbar: true } },
  { path: '/visits/check-in', name: 'visit-check-in', component: () => import('./CheckInPage.vue'), meta: { title: '到店签到' } },
  { path: '/visits/drafts/:localId', name: 'visit-draft', component: () => import('./VisitFormPage.vue'), meta: { title: '拜访记录' } },
  { path: '/visits/plans', name: 'visit-plans', component: () => import('./VisitPlansPage.vue'), meta: { title: '拜访计划' } },
  { path: '/visits/team', name: 'visit-team', component: () => import('./TeamVisitsPage.vue'), meta: { title: '团队拜访' } },
  { path: '/visits/:id(\\d+)', name: 'visit-detail', component: () => import('./VisitDetailPage.vue'), meta: { title: '拜访详情' } },
];

export const tab: TabEntry = { path: '/visits', title: '拜访', icon: 'location-o', order: 30 };

export const shortcuts: Shortcut[] = [
  { title: '拜访签到', icon: 'location-o', color: '#07c160', to: '/visits/check-in', order: 30 },
  { title: '拜访计划', icon: 'calendar-o', color: '#ff976a', to: '/visits/plans', order: 31 },
  { title: '团队拜访', icon: 'friends-o', color: '#7232dd', to: '/visits/team', order: 32, roles: ['manager', 'executive', 'admin'] },
];

export const workbenchSections: WorkbenchSection[] = [{ key: 'visit-follow-ups', order: 30, component: () => import('./FollowUpsSection.vue'), roles: ['rep'] }];

// Queued visits must go out whichever page the app opens on, so the sender starts with the router.
// Loaded lazily to keep it out of the first screen's bundle.
void import('../../offline/outbox-sync').then((module) => module.installOutboxSync());
