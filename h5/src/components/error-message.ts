import { showFailToast } from 'vant';
import { ApiRequestError } from '../api/errors';
import { BridgeError } from '../platform';

const FALLBACK_MESSAGE = '操作失败，请稍后重试';

/** Return the Chinese text to show for a caught error. Errors without a user message are logged. */
export function userMessageOf(error: unknown): string {
  if (error instanceof ApiRequestError || error instanceof BridgeError) return error.message;

  console.error(error);
  return FALLBACK_MESSAGE;
}

export function showErrorToast(error: unknown): void {
  showFailToast(userMessageOf(error));
}
