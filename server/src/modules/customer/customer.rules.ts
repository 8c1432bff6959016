import { pinyin } from 'pinyin-pro';
import { normalizeCustomerName } from '@shared/customer-rules.js';
import { toHalfWidth } from '@shared/isbn.js';

/**
 * Search keys stored with each customer whenever its name changes, so search is an indexed or bounded
 * LIKE instead of computing pinyin per query.
 */
export interface CustomerSearchKeys {
  nameKey: string;
  namePinyin: string;
  nameInitials: string;
  searchText: string;
}

/** Lower-case letters and digits only: what a user types when searching by pinyin. */
function latinOnly(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function pinyinOf(text: string): { full: string; initials: string } {
  const clean = toHalfWidth(text.normalize('NFKC'));
  const syllables = pinyin(clean, { toneType: 'none', type: 'array', v: true });
  const initials = pinyin(clean, { pattern: 'first', toneType: 'none', type: 'array' });
  return { full: latinOnly(syllables.join('')), initials: latinOnly(initials.join('')) };
}

/** Normalized form of what users type into the search box; the same transformation as searchText. */
export function normalizeSearchTerm(term: string): string {
  return toHalfWidth(term.normalize('NFKC')).toLowerCase().replace(/\s+/g, '');
}

export function buildSearchKeys(name: string, shortName: string | null, creditCode: string | null): CustomerSearchKeys {
  const namePinyin = pinyinOf(name);
  const parts = [normalizeSearchTerm(name), namePinyin.full, namePinyin.initials];
  if (shortName) {
    const shortPinyin = pinyinOf(shortName);
    parts.push(normalizeSearchTerm(shortName), shortPinyin.full, shortPinyin.initials);
  }
  if (creditCode) parts.push(creditCode.toLowerCase());
  return {
    nameKey: normalizeCustomerName(name),
    namePinyin: namePinyin.full,
    nameInitials: namePinyin.initials,
    // '|' keeps a match from spanning two parts.
    searchText: parts.join('|'),
  };
}

/** Escapes LIKE wildcards in user input; queries use ESCAPE '\'. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
