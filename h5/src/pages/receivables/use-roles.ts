import { computed } from 'vue';
import { currentUser } from '../../api/session';

/** Roles that decide which receivable actions a page offers; the server checks them again. */
export function useReceivableRoles() {
  const roles = computed(() => currentUser.value?.roles ?? []);
  return {
    userId: computed(() => currentUser.value?.id ?? null),
    isFinance: computed(() => roles.value.includes('finance') || roles.value.includes('admin')),
  };
}
