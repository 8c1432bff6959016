/// <reference types="vite/client" />

import 'vue-router';

declare module 'vue-router' {
  interface RouteMeta {
    /** Page title, shown in the chat app's navigation bar. */
    title?: string;
    /** Show the bottom tab bar under this page (top-level pages only). */
    showTabbar?: boolean;
    /** Reachable without a session: login, fallback and error pages. */
    public?: boolean;
  }
}
