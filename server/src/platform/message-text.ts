/** Text helpers for the size limits of DingTalk work notifications and WeCom application messages. */

/** Cuts `text` to at most `maxBytes` UTF-8 bytes at a character boundary, ending with '…' when cut. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) {
    return text;
  }

  const ellipsis = '…';
  const budget = maxBytes - Buffer.byteLength(ellipsis, 'utf8');
  let result = '';
  let used = 0;
  for (const character of text) {
    const size = Buffer.byteLength(character, 'utf8');
    if (used + size > budget) {
      break;
    }
    result += character;
    used += size;
  }
  return `${result}${ellipsis}`;
}

/** Cuts `text` to at most `maxCharacters` characters (code points), without an ellipsis. */
export function truncateCharacters(text: string, maxCharacters: number): string {
  return Array.from(text).slice(0, maxCharacters).join('');
}

/** Splits `items` into consecutive groups of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    groups.push(items.slice(start, start + size));
  }
  return groups;
}

/** Runs `task` over `items` with at most `limit` running at once, keeping the input order in the result. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;

  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
