import { pinyin } from 'pinyin-pro';
import { landlineSearchNumbers, normalizeCustomerName } from '@shared/customer-rules.js';
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

/** The pinyin syllables of a text (letters and digits only, non-Chinese characters kept as they are). */
function syllablesOf(text: string): string[] {
  return pinyin(toHalfWidth(text.normalize('NFKC')), { toneType: 'none', type: 'array', v: true }).map(latinOnly).filter(Boolean);
}

export function pinyinOf(text: string): { full: string; initials: string } {
  const syllables = syllablesOf(text);
  return { full: syllables.join(''), initials: syllables.map((syllable) => syllable[0]).join('') };
}

export function buildSearchKeys(name: string, shortName: string | null, creditCode: string | null): CustomerSearchKeys {
  const namePinyin = pinyinOf(name);
  const parts = [searchForm(name), namePinyin.full, namePinyin.initials];
  if (shortName) {
    const shortPinyin = pinyinOf(shortName);
    parts.push(searchForm(shortName), shortPinyin.full, shortPinyin.initials);
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

/** Longest stored term per kind; a longer query looks up its first characters and verifies with LIKE. */
export const searchTermLimits = { chinese: 6, initials: 8, pinyin: 12 } as const;

/** Lower case without spaces, punctuation or symbols: the form names are indexed and queries compared in. */
export function searchForm(text: string): string {
  return toHalfWidth(text.normalize('NFKC'))
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

/**
 * The rows of the search index of one customer. A contains-search for q is a prefix search for q among
 * these terms: every suffix of the name (so '鼓楼' finds '南京新华书店鼓楼分店'), every suffix of its
 * initials ('xhsd'), the full pinyin from each syllable on ('xinhua'), the same for the short name, and
 * the credit code. Terms are cut to searchTermLimits so the index stays small.
 */
export function buildSearchTerms(name: string, shortName: string | null, creditCode: string | null): string[] {
  const terms = new Set<string>();
  for (const text of shortName ? [name, shortName] : [name]) {
    const form = [...searchForm(text)];
    for (let start = 0; start < form.length; start += 1) terms.add(form.slice(start, start + searchTermLimits.chinese).join(''));

    const syllables = syllablesOf(text);
    const initials = syllables.map((syllable) => syllable[0]).join('');
    for (let start = 0; start < initials.length; start += 1) terms.add(initials.slice(start, start + searchTermLimits.initials));
    for (let start = 0; start < syllables.length; start += 1) terms.add(syllables.slice(start).join('').slice(0, searchTermLimits.pinyin));
  }
  if (creditCode) terms.add(creditCode.toLowerCase());
  return [...terms].filter((term) => term.length > 0);
}

/**
 * Builds the search terms of a customer's contact landlines: each number with and without its area code, so
 * '87654321', '057187654321' and '0571-87654321' all find a contact stored as 0571-87654321. Mobiles are
 * not indexed here because the search reads them from the contact table by prefix.
 */
export function buildPhoneSearchTerms(landlines: readonly (string | null)[]): string[] {
  const terms = new Set<string>();
  for (const landline of landlines) {
    if (landline) for (const number of landlineSearchNumbers(landline)) terms.add(number);
  }
  return [...terms];
}

/**
 * Appends the phone terms to a customer's search_text. A query longer than the stored term prefix
 * (a 12-digit number) is confirmed with a LIKE on search_text, so the numbers have to be there as well.
 */
export function withPhoneSearchText(searchText: string, phoneTerms: readonly string[]): string {
  return phoneTerms.length === 0 ? searchText : `${searchText}|${phoneTerms.join('|')}`;
}
