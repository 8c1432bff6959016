// The demo user picked on the picker page, remembered so the browser bridge can mint a new auth
// code without asking again when the session expires.

const STORAGE_KEY = 'crm.demoUserId';

export function loadRememberedDemoUser(): string | null {
  return localStorage.getItem(STORAGE_KEY);
}

export function rememberDemoUser(userid: string): void {
  localStorage.setItem(STORAGE_KEY, userid);
}

export function forgetDemoUser(): void {
  localStorage.removeItem(STORAGE_KEY);
}
