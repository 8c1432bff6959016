import { ref } from 'vue';
import { showFailToast, showToast } from 'vant';
import type { LineDefaults } from '@shared/api/quote';
import { isbnErrorMessages, parseIsbn } from '@shared/isbn';
import { fetchBookByIsbn } from '../../api/books';
import { ApiRequestError } from '../../api/errors';
import { fetchLineDefaults } from '../../api/quotes';
import { userMessageOf } from '../../components/error-message';
import { BridgeError, getPlatformBridge } from '../../platform';

/**
 * Adding titles to a quote: scanning ISBNs one after another with the chat app's scanner (the scanner
 * reopens after each code until the rep cancels it), typing an ISBN where there is no scanner, or picking
 * from the catalog search. Each title arrives with the customer's default discount and floor.
 */
export function useTitleEntry(options: { customerId: () => number | null; onTitles: (titles: LineDefaults[]) => void }) {
  const entryOpen = ref(false);
  const entryText = ref('');
  const entryError = ref('');
  const busy = ref(false);

  async function addBookIds(bookIds: number[]): Promise<boolean> {
    const customerId = options.customerId();
    if (customerId === null) {
      showFailToast('请先选择客户，折扣按该客户的协议带出');
      return false;
    }
    busy.value = true;
    try {
      options.onTitles((await fetchLineDefaults(customerId, bookIds)).items);
      return true;
    } catch (error) {
      showFailToast(userMessageOf(error));
      return false;
    } finally {
      busy.value = false;
    }
  }

  /** Looks the code up; a malformed code or one missing from the catalog gets its own message. */
  async function addIsbn(raw: string): Promise<boolean> {
    const parsed = parseIsbn(raw);
    if (!parsed.ok) {
      entryError.value = isbnErrorMessages[parsed.reason];
      return false;
    }
    try {
      const book = await fetchBookByIsbn(parsed.isbn13);
      if (book.status === 'discontinued') {
        entryError.value = `《${book.title}》已停售，不能报价`;
        return false;
      }
      return await addBookIds([book.id]);
    } catch (error) {
      entryError.value = error instanceof ApiRequestError && error.code === 'book_not_found' ? error.message : userMessageOf(error);
      return false;
    }
  }

  async function scanInRow(): Promise<void> {
    for (;;) {
      let code: string | null;
      try {
        code = await getPlatformBridge().scanBarcode();
      } catch (error) {
        if (!(error instanceof BridgeError && error.code === 'cancelled')) showToast(userMessageOf(error));
        return;
      }
      if (code === null) {
        // No scanner in this host: the rep types the digits printed under the barcode.
        openEntry();
        return;
      }
      entryError.value = '';
      if (!(await addIsbn(code))) showFailToast(entryError.value);
    }
  }

  function openEntry(): void {
    entryText.value = '';
    entryError.value = '';
    entryOpen.value = true;
  }

  /** Adds the typed ISBN and keeps the field open, cleared, for the next one. */
  async function confirmEntry(): Promise<void> {
    entryError.value = '';
    if (await addIsbn(entryText.value)) {
      showToast('已添加');
      entryText.value = '';
    }
  }

  return { entryOpen, entryText, entryError, busy, scanInRow, openEntry, confirmEntry, addBookIds };
}
