import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { getPlatformBridge } from './platform';
import { ensureSession } from './api/session';
import { loginFallbackRoute } from './pages/login/login-fallback';
import type { AreaModule, Shortcut, TabEntry, WorkbenchSection } from './area';

const APP_TITLE = '出版销售';

const areaModules = import.meta.glob<AreaModule>('./pages/*/routes.ts', { eager: true });

function collectAreas(): AreaModule[] {
  return Object.entries(areaModules).map(([file, area]) => {
    if (!Array.isArray(area.routes)) {
      throw new Error(`${file} must export "routes: RouteRecordRaw[]"`);
    }
    return area;
  });
}

const areas = collectAreas();
const byOrder = (a: { order: number }, b: { order: number }) => a.order - b.order;

export const tabs: TabEntry[] = areas.flatMap((area) => (area.tab ? [area.tab] : [])).sort(byOrder);
export const shortcuts: Shortcut[] = areas.flatMap((area) => area.shortcuts ?? []).sort(byOrder);
export const workbenchSections: WorkbenchSection[] = areas.flatMap((area) => area.workbenchSections ?? []).sort(byOrder);

const routes: RouteRecordRaw[] = areas.flatMap((area) => area.routes);

export const router = createRouter({
  // Hash routing keeps the part of the URL before '#' fixed. Both chat apps sign JSAPI access for
  // that part, WeCom's OAuth redirect appends its code to it, and the server needs no fallback route.
  history: createWebHashHistory(),
  routes,
  scrollBehavior: (_to, _from, savedPosition) => savedPosition ?? { top: 0 },
});

router.beforeEach(async (to) => {
  if (to.meta.public) return true;

  try {
    await ensureSession();
    return true;
  } catch (error) {
    return loginFallbackRoute(error, to.fullPath);
  }
});

router.afterEach((to) => {
  const title = to.meta.title ?? APP_TITLE;
  getPlatformBridge()
    .setTitle(title)
    .catch((error: unknown) => console.warn('Setting the page title failed', error));
});
