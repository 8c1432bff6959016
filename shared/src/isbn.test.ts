import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parseIsbn } from './isbn.js';
import { readCsv } from './test-support/read-csv.js';

const cases = readCsv(fileURLToPath(new URL('../fixtures/ids/isbn_cases.csv', import.meta.url)));
const books = readCsv(fileURLToPath(new URL('../fixtures/dp2_books_flat.csv', import.meta.url)));

describe('parseIsbn', () => {
  it.each(cases.filter((row) => row.expected === 'valid' || row.expected === 'valid_after_normalize' || row.expected === 'policy_decision'))(
    'accepts $input',
    (row) => {
      // Full-width digits are accepted: they come from pasting out of Chinese PDFs and IMEs.
      expect(parseIsbn(row.input!)).toEqual({ ok: true, isbn13: row.isbn13 });
    },
  );

  it.each(cases.filter((row) => row.expected!.startsWith('invalid_')))('rejects $input as $expected', (row) => {
    expect(parseIsbn(row.input!)).toEqual({ ok: false, reason: row.expected });
  });

  it.each(books.filter((row) => row.isbn_check === 'valid'))('converts catalogue record $isbn_raw', (row) => {
    expect(parseIsbn(row.isbn_raw!)).toEqual({ ok: true, isbn13: row.isbn13 });
  });

  it('rejects a 979 prefix with a wrong check digit', () => {
    expect(parseIsbn('9791234567890')).toEqual({ ok: false, reason: 'invalid_checksum' });
  });

  it('rejects ISBN-10 with X in a middle position', () => {
    expect(parseIsbn('75037X7900')).toEqual({ ok: false, reason: 'invalid_format' });
  });
});
