import { watch } from 'vue';
import { currentUser } from '../api/session';
import { outboxSender } from '../api/visits';
import { configureOutbox, networkState, outboxState, requestSync, setOutboxUser } from './visit-outbox';

const RETRY_INTERVAL_MS = 20_000;
let installed = false;

/**
 * Starts sending the outbox: when a user logs in, when the network comes back, when the app returns to
 * the foreground (DingTalk fires `resume`, browsers `visibilitychange` and `pageshow`), and every 20 s
 * while something waits. Called once at start-up.
 */
export function installOutboxSync(): void {
  if (installed) return;
  installed = true;
  configureOutbox({ sender: outboxSender });

  watch(
    () => currentUser.value?.id ?? null,
    (userId) => {
      setOutboxUser(userId);
      if (userId !== null) void requestSync();
    },
    { immediate: true },
  );

  const syncIfVisible = () => {
    if (document.visibilityState === 'visible') void requestSync();
  };
  window.addEventListener('online', () => {
    networkState.online = true;
    void requestSync();
  });
  window.addEventListener('offline', () => {
    networkState.online = false;
  });
  window.addEventListener('pageshow', syncIfVisible);
  document.addEventListener('visibilitychange', syncIfVisible);
  document.addEventListener('resume', syncIfVisible);

  window.setInterval(() => {
    if (outboxState.pending > outboxState.failed.length && navigator.onLine) syncIfVisible();
  }, RETRY_INTERVAL_MS);
}
