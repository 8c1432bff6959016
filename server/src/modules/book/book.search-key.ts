import { pinyin } from 'pinyin-pro';
import { toHalfWidth } from '@shared/isbn.js';

/**
 * Search keys of a title, computed on write so a search is one LIKE over one column:
 * '长江文艺丛书' → pinyin 'changjiangwenyicongshu', initials 'cjwycs'.
 */
export interface BookSearchKeys {
  titlePinyin: string;
  titleInitials: string;
  searchText: string;
}

export function buildBookSearchKeys(book: { isbn: string; title: string; author: string | null; series: string | null }): BookSearchKeys {
  const titlePinyin = pinyinOf(book.title, 'full');
  const titleInitials = pinyinOf(book.title, 'first');
  const seriesInitials = book.series ? pinyinOf(book.series, 'first') : '';
  const seriesPinyin = book.series ? pinyinOf(book.series, 'full') : '';
  const searchText = [book.isbn, book.title, book.author ?? '', book.series ?? '', titlePinyin, titleInitials, seriesPinyin, seriesInitials]
    .map(normalizeSearchTerm)
    .filter(Boolean)
    .join('|');
  return { titlePinyin, titleInitials, searchText };
}

/** Lower case, half-width, no whitespace: the same form for stored keys and typed queries. */
export function normalizeSearchTerm(text: string): string {
  return toHalfWidth(text).toLowerCase().replace(/\s+/g, '');
}

function pinyinOf(text: string, pattern: 'full' | 'first'): string {
  const syllables = pinyin(text, { pattern: pattern === 'full' ? 'pinyin' : 'first', toneType: 'none', type: 'array', nonZh: 'consecutive', v: true });
  // Keep letters and digits only, so '《三体》' and '三体' give the same key.
  return syllables.join('').toLowerCase().replace(/[^a-z0-9]/g, '');
}
