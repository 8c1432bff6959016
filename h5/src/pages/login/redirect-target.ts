import type { LocationQuery } from 'vue-router';

/**
 * Return the in-app path to continue to after login, from the `redirect` query. Only paths inside
 * this app are accepted, so a crafted link cannot send the user elsewhere.
 */
export function redirectTargetOf(query: LocationQuery): string {
  const redirect = query.redirect;
  if (typeof redirect === 'string' && redirect.startsWith('/') && !redirect.startsWith('//')) return redirect;
  return '/';
}
