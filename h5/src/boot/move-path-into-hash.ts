/**
 * Notification links name a page by path (https://crm.example.com/approvals/12) so they read well and
 * survive a later switch of router mode; the app routes by hash, so such a path becomes /#/approvals/12.
 * This module runs on import and main.ts imports it first, because the router reads the URL when its
 * own module is evaluated.
 */
function movePathIntoHash(): void {
  const { pathname, search, hash } = window.location;
  if (pathname === '/' || pathname === '/index.html' || hash.startsWith('#/')) return;
  window.history.replaceState(null, '', `/${search}#${pathname}`);
}

movePathIntoHash();
