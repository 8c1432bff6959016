import { isbn13CheckDigit } from '../../shared/src/isbn.js';
import { bookSearchTokens, buildBookSearchKeys } from '../../server/src/modules/book/book.search-key.js';
import { bookCategories, bookTitle, personName, surnameChoices } from './chinese-names.js';
import { dateOf, instantAt } from './calendar.js';
import type { GenerationContext } from './context.js';
import { WeightedTable } from './random.js';

/**
 * The publisher's catalog: titles with valid ISBN-13s under a few registrant prefixes of the 978-7 group
 * (4-digit registrant, 4-digit title number, so 10,000 titles per prefix), list prices typical of each
 * category, and the search keys and index tokens the book module stores.
 */
const registrantPrefixes = ['5321', '5399', '5447', '5594', '5702', '5736'];

/** List price range in fen per category; prices end in .00, .50 or .80 like printed prices. */
const priceRanges: Record<string, [number, number]> = {
  textbook: [8, 26],
  teaching_aid: [15, 46],
  general: [32, 89],
  children: [18, 49],
  academic: [48, 168],
  other: [20, 60],
};
const priceEndings = [0, 50, 80];

export function generateCatalog(context: GenerationContext): void {
  const random = context.random.fork(2);
  const count = Math.min(context.profile.books, registrantPrefixes.length * 10_000);
  const categories = new WeightedTable(bookCategories);
  const surnames = new WeightedTable(surnameChoices);
  const authorName = () => personName(random, surnames);
  const keysCache = new Map<string, ReturnType<typeof buildBookSearchKeys> & { tokens: string[] }>();
  const indexTokens = context.has('book_search_token');

  const catalog = { count, isbn: [''], title: [''], category: [''], series: [null] as (string | null)[], listPriceFen: new Int32Array(count + 1) };
  for (let id = 1; id <= count; id += 1) {
    const prefix = registrantPrefixes[Math.floor((id - 1) / 10_000)]!;
    const first12 = `9787${prefix}${String((id - 1) % 10_000).padStart(4, '0')}`;
    const isbn = first12 + isbn13CheckDigit(first12);
    const category = categories.draw(random);
    const { title, series, author } = bookTitle(random, category, id, authorName);
    const [low, high] = priceRanges[category]!;
    const listPriceFen = random.int(low, high) * 100 + random.pick(priceEndings);
    const publishedDay = context.asOfDay - random.int(0, 3650);

    // Titles repeat across editions and series: their pinyin keys and index tokens are computed once.
    const cacheKey = `${title}|${series ?? ''}|${author ?? ''}`;
    let keys = keysCache.get(cacheKey);
    if (!keys) {
      const searchKeys = buildBookSearchKeys({ title, author, series });
      keys = { ...searchKeys, tokens: bookSearchTokens({ title, author, series, title_pinyin: searchKeys.titlePinyin, title_initials: searchKeys.titleInitials }) };
      keysCache.set(cacheKey, keys);
    }
    const status = random.weighted([['on_sale', 85], ['discontinued', 10], ['pre_order', 5]] as const);

    context.insert('book', {
      id,
      isbn,
      title,
      author,
      series,
      category,
      list_price_fen: listPriceFen,
      publication_date: dateOf(publishedDay),
      status,
      stock_quantity: status === 'discontinued' ? random.int(0, 200) : random.int(200, 20_000),
      stock_updated_at: instantAt(context.asOfDay - 1, 22 * 60),
      publisher: '江南文艺出版社',
      title_pinyin: keys.titlePinyin,
      title_initials: keys.titleInitials,
      search_text: keys.searchText,
      created_at: instantAt(Math.min(publishedDay, context.startDay), 10 * 60),
      updated_at: instantAt(context.asOfDay - 1, 22 * 60),
    });

    // The catalog's inverted index, as the book module writes it on insert.
    if (indexTokens) for (const token of keys.tokens) context.insertStaged('book_search_token', { token, book_id: id }, ['token', 'book_id']);

    catalog.isbn.push(isbn);
    catalog.title.push(title);
    catalog.category.push(category);
    catalog.series.push(series);
    catalog.listPriceFen[id] = listPriceFen;
  }
  context.catalog = catalog;
}
