import type { Generated } from 'kysely';

export interface BookTable {
  id: Generated<number>;
  /** ISBN-13, digits only. */
  isbn: string;
  title: string;
  author: string | null;
  series: string | null;
  category: string;
  list_price_fen: number;
  publication_date: string | null;
  status: string;
  stock_quantity: number | null;
  stock_updated_at: string | null;
  publisher: string | null;
  title_pinyin: string;
  title_initials: string;
  /** Lower-cased ISBN, title, author, series, pinyin and initials joined by '|', for one LIKE search. */
  search_text: string;
  created_at: string;
  updated_at: string;
}

/** Inverted index of the catalog: a title's Chinese characters and pinyin trigrams (see book.search-key.ts). */
export interface BookSearchTokenTable {
  token: string;
  book_id: number;
}

export interface BookTables {
  book: BookTable;
  book_search_token: BookSearchTokenTable;
}
