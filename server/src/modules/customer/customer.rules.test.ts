import { describe, expect, it } from 'vitest';
import { landlineSearchNumbers } from '@shared/customer-rules.js';
import { buildPhoneSearchTerms, buildSearchKeys, buildSearchTerms, escapeLike, withPhoneSearchText } from './customer.rules.js';
import { pickAgreement } from './discount-agreement.rules.js';
import type { DiscountAgreementRow } from './discount-agreement.repository.js';
import { prefixUpperBound } from './customer-search.repository.js';

describe('buildSearchKeys', () => {
  it('stores full pinyin and initials, with the polyphonic 重庆 read right', () => {
    const keys = buildSearchKeys('重庆新华书店', null, null);
    expect(keys.namePinyin).toBe('chongqingxinhuashudian');
    expect(keys.nameInitials).toBe('cqxhsd');
  });
});

describe('buildSearchTerms', () => {
  it('makes a contains-search a prefix search for characters, initials and pinyin', () => {
    const terms = buildSearchTerms('南京新华书店鼓楼分店', '鼓楼新华', '91320106MA1X2Y3Z4K');
    const matches = (query: string) => terms.some((term) => term.startsWith(query));
    expect(matches('新华书店')).toBe(true);
    expect(matches('鼓楼')).toBe(true);
    expect(matches('xhsd')).toBe(true);
    expect(matches('xinhua')).toBe(true);
    expect(matches('glxh')).toBe(true);
    expect(matches('91320106')).toBe(true);
    expect(matches('inhua')).toBe(false);
  });

  it('cuts long terms to the stored limits', () => {
    const terms = buildSearchTerms('江苏凤凰新华书店集团有限公司南京市鼓楼区分公司', null, null);
    expect(Math.max(...terms.filter((term) => /[\u4e00-\u9fff]/.test(term)).map((term) => [...term].length))).toBe(6);
  });
});

describe('prefixUpperBound', () => {
  it('returns the first string after every string with the prefix', () => {
    expect(prefixUpperBound('xhsd')).toBe('xhse');
    expect(prefixUpperBound('新华')).toBe('新协');
    expect('xhsdz' < prefixUpperBound('xhsd')).toBe(true);
  });
});

describe('escapeLike', () => {
  it('escapes wildcards', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});

describe('pickAgreement', () => {
  const row = (id: number, scope: DiscountAgreementRow['scope'], validFrom: string, defaultDiscount: number): DiscountAgreementRow => ({
    id,
    customer_id: 1,
    scope,
    scope_value: scope === 'customer' ? '' : 'x',
    default_discount: defaultDiscount,
    floor_discount: defaultDiscount - 500,
    valid_from: validFrom,
    valid_to: null,
    updated_by: null,
    updated_at: '2025-01-01T00:00:00.000Z',
  });

  it('prefers series over category over the customer default, then the latest start', () => {
    expect(pickAgreement([row(1, 'customer', '2025-01-01', 6500), row(2, 'category', '2025-01-01', 6200), row(3, 'series', '2024-01-01', 6000)])?.defaultDiscount).toBe(6000);
    expect(pickAgreement([row(1, 'customer', '2025-01-01', 6500), row(2, 'category', '2025-01-01', 6200)])?.defaultDiscount).toBe(6200);
    expect(pickAgreement([row(1, 'customer', '2024-01-01', 6500), row(4, 'customer', '2025-06-01', 6300)])?.defaultDiscount).toBe(6300);
    expect(pickAgreement([])).toBeNull();
  });
});

describe('landlineSearchNumbers', () => {
  it.each([
    ['0571-87654321', ['057187654321', '87654321']],
    ['0571-87654321-808', ['057187654321', '87654321']],
    ['(0571) 87654321', ['057187654321', '87654321']],
    ['025-8324123', ['0258324123', '8324123']],
    ['057187654321', ['057187654321', '87654321']],
    ['01062345678', ['01062345678', '62345678']],
    ['02083241234', ['02083241234', '83241234']],
    ['400-820-1234', ['4008201234']],
    ['87654321', ['87654321']],
    ['１２３', []],
  ])('reads %s', (landline, expected) => {
    expect(landlineSearchNumbers(landline)).toEqual(expected);
  });
});

describe('buildPhoneSearchTerms', () => {
  it('merges the numbers of several contacts without repeats', () => {
    expect(buildPhoneSearchTerms(['0571-87654321', null, '057187654321', '025-83241234'])).toEqual(['057187654321', '87654321', '02583241234', '83241234']);
  });

  it('leaves search_text alone without phones', () => {
    expect(withPhoneSearchText('xhsd', [])).toBe('xhsd');
    expect(withPhoneSearchText('xhsd', ['87654321'])).toBe('xhsd|87654321');
  });
});
