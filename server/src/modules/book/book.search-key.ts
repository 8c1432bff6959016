import { pinyin } from 'pinyin-pro';
import { toHalfWidth } from '@shared/isbn.js';

/**
 * Search keys of a title, computed on write:
 * - title_pinyin / title_initials: '长江文艺丛书' → 'changjiangwenyicongshu' / 'cjwycs';
 * - search_text: the normalized title, author, series, pinyin and initials joined by '|', which a
 *   candidate must contain (LIKE) to match;
 * - tokens for the inverted index (book_search_token): every Chinese character of title, author and series
 *   and every pair of adjacent ones, and every three-character piece of the Latin letters and digits in
 *   them and in the pinyin keys.
 * A query's own tokens select candidates that search_text then confirms, so every text in search_text must
 * be reachable through a token. The ISBN is therefore searched through its own column.
 */
export interface BookSearchKeys {
  titlePinyin: string;
  titleInitials: string;
  searchText: string;
}

interface KeySource {
  title: string;
  author: string | null;
  series: string | null;
}

export function buildBookSearchKeys(book: KeySource & { isbn?: string }): BookSearchKeys {
  const titlePinyin = pinyinOf(book.title, 'full');
  const titleInitials = pinyinOf(book.title, 'first');
  const searchText = searchParts(book, titlePinyin, titleInitials).join('|');
  return { titlePinyin, titleInitials, searchText };
}

function searchParts(book: KeySource, titlePinyin: string, titleInitials: string): string[] {
  const seriesInitials = book.series ? pinyinOf(book.series, 'first') : '';
  return [book.title, book.author ?? '', book.series ?? '', titlePinyin, titleInitials, seriesInitials].map(normalizeSearchTerm).filter(Boolean);
}

/** Lists the index tokens of a stored title. */
export function bookSearchTokens(book: KeySource & { title_pinyin: string; title_initials: string }): string[] {
  const tokens = new Set<string>();
  for (const part of searchParts(book, book.title_pinyin, book.title_initials)) addTokens(tokens, part);
  return [...tokens];
}

/**
 * Tokens a query's matches must all carry; empty when the query has no Chinese character and no run of three
 * Latin letters or digits (e.g. 'xh'), which the repository then matches by initials or pinyin prefix.
 */
export function queryTokens(normalizedTerm: string): string[] {
  const tokens = new Set<string>();
  addTokens(tokens, normalizedTerm);
  // A pair of characters narrows far better than either character: keep single ones only when alone.
  const pairs = [...tokens].filter((token) => isHan(token) && token.length === 2);
  const covered = new Set(pairs.flatMap((pair) => [...pair]));
  return [...tokens].filter((token) => !(isHan(token) && token.length === 1 && covered.has(token)));
}

export function isHan(token: string): boolean {
  return hanCharacter.test(token);
}

/** Lower case, half-width, no whitespace and no '|': the same form for stored keys and typed queries. */
export function normalizeSearchTerm(text: string): string {
  return toHalfWidth(text).toLowerCase().replace(/[\s|]+/g, '');
}

const hanCharacter = /\p{Script=Han}/u;

function addTokens(tokens: Set<string>, text: string): void {
  let previous = '';
  for (const character of text) {
    const han = hanCharacter.test(character);
    if (han) tokens.add(character);
    if (han && previous) tokens.add(previous + character);
    previous = han ? character : '';
  }
  for (const run of text.match(/[a-z0-9]{3,}/g) ?? []) {
    for (let start = 0; start + 3 <= run.length; start += 1) tokens.add(run.slice(start, start + 3));
  }
}

function pinyinOf(text: string, pattern: 'full' | 'first'): string {
  const syllables = pinyin(text, { pattern: pattern === 'full' ? 'pinyin' : 'first', toneType: 'none', type: 'array', nonZh: 'consecutive', v: true });
  // Keep letters and digits only, so '《三体》' and '三体' give the same key.
  return syllables.join('').toLowerCase().replace(/[^a-z0-9]/g, '');
}
