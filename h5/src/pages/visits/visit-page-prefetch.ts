/**
 * Loads the pages a visit goes through before the rep needs them. A page chunk imported once stays in
 * the page's module map, so checking in, filling the visit and submitting keep working after the
 * network drops. (A full reload offline still needs the network: there is no service worker.)
 */
let prefetched = false;

export function prefetchVisitPages(): void {
  if (prefetched) return;
  prefetched = true;
  const pages = [() => import('./CheckInPage.vue'), () => import('./VisitFormPage.vue'), () => import('./VisitsPage.vue')];
  for (const load of pages) {
    load().catch((error: unknown) => {
      prefetched = false;
      console.warn('Prefetching a visit page failed', error);
    });
  }
}
