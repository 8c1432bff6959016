import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { parseCreditCode } from './credit-code.js';
import { readCsv } from './test-support/read-csv.js';

const cases = readCsv(fileURLToPath(new URL('../fixtures/ids/uscc_cases.csv', import.meta.url)));

describe('parseCreditCode', () => {
  it.each(cases.filter((row) => row.expected === 'valid' || row.expected === 'valid_after_normalize'))('accepts $code', (row) => {
    expect(parseCreditCode(row.code!).ok).toBe(true);
  });

  // Policy: full-width input is normalised, and letter authority codes (Y 其他, N 农业) that GB 32100 lists are
  // accepted when the check character is right.
  it.each(cases.filter((row) => row.expected === 'policy_decision'))('accepts policy case $code', (row) => {
    expect(parseCreditCode(row.code!).ok).toBe(true);
  });

  it.each(cases.filter((row) => row.expected!.startsWith('invalid_')))('rejects $code', (row) => {
    const result = parseCreditCode(row.code!);
    expect(result.ok).toBe(false);
  });

  it('rejects a forbidden letter such as O', () => {
    expect(parseCreditCode('91110000600037341O')).toEqual({ ok: false, reason: 'invalid_charset' });
  });
});
