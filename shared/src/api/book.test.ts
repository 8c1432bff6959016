import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../test-support/read-csv.js';
import { bookInputSchema, bookUpdateSchema, isbnInputSchema } from './book.js';

const cases = readCsv(fileURLToPath(new URL('../../fixtures/ids/isbn_cases.csv', import.meta.url)));

describe('isbnInputSchema', () => {
  it.each(cases.filter((row) => row.expected === 'valid' || row.expected === 'valid_after_normalize'))('stores $input as $isbn13', (row) => {
    expect(isbnInputSchema.parse(row.input)).toBe(row.isbn13);
  });

  it.each(cases.filter((row) => row.expected!.startsWith('invalid_')))('refuses $input with a Chinese reason', (row) => {
    const result = isbnInputSchema.safeParse(row.input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/ISBN/);
  });
});

describe('bookUpdateSchema', () => {
  it('leaves fields that were not sent undefined, so a partial update blanks nothing', () => {
    expect(bookUpdateSchema.parse({ listPriceFen: 4800 })).toEqual({ listPriceFen: 4800 });
  });
});

describe('bookInputSchema', () => {
  it('converts an ISBN-10 and fills defaults for a new title', () => {
    const book = bookInputSchema.parse({ isbn: '7-5037-1744-0', title: '中国发展报告', category: 'academic', listPriceFen: 6800 });
    expect(book).toMatchObject({ isbn: '9787503717444', status: 'on_sale', series: null, stockQuantity: null });
  });

  it('refuses a zero list price', () => {
    expect(bookInputSchema.safeParse({ isbn: '9787503717444', title: '书', category: 'other', listPriceFen: 0 }).success).toBe(false);
  });
});
