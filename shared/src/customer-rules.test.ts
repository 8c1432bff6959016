import { describe, expect, it } from 'vitest';
import { canChangeStage, maskMobile, normalizeCustomerName, normalizeLandline, normalizeMobile } from './customer-rules.js';

describe('normalizeCustomerName', () => {
  it('treats width, brackets, spaces and company suffixes as the same name', () => {
    const key = normalizeCustomerName('南京新华书店（鼓楼店）有限公司');
    expect(normalizeCustomerName('南京新华书店(鼓楼店)')).toBe(key);
    expect(normalizeCustomerName(' 南京 新华书店【鼓楼店】 ')).toBe(key);
    expect(normalizeCustomerName('南京新华书店（鼓楼店）股份有限公司')).toBe(key);
    expect(normalizeCustomerName('南京新华书店（鼓楼店）有限责任公司')).toBe(key);
    expect(normalizeCustomerName('ＡＢＣ书店 Co., Ltd.')).toBe(normalizeCustomerName('abc书店'));
  });

  it('keeps a suffix that is the whole name and a suffix inside the name', () => {
    expect(normalizeCustomerName('公司')).toBe('公司');
    expect(normalizeCustomerName('有限公司读书会')).toBe('有限公司读书会');
  });
});

describe('normalizeMobile', () => {
  it('accepts +86, spaces and dashes and rejects other lengths and prefixes', () => {
    expect(normalizeMobile('+86 139-5180-3261')).toBe('13951803261');
    expect(normalizeMobile('8613951803261')).toBe('13951803261');
    expect(normalizeMobile('１３９５１８０３２６１')).toBe('13951803261');
    expect(normalizeMobile('12951803261')).toBeUndefined();
    expect(normalizeMobile('1395180326')).toBeUndefined();
  });

  it('masks the middle digits', () => {
    expect(maskMobile('13951803261')).toBe('139****3261');
  });
});

describe('normalizeLandline', () => {
  it('accepts area code forms and 400 numbers with extensions', () => {
    expect(normalizeLandline('025-83241234')).toBe('025-83241234');
    expect(normalizeLandline('0571 87654321')).toBe('0571-87654321');
    expect(normalizeLandline('0571 8765 4321')).toBe('0571-87654321');
    expect(normalizeLandline('400-820-1234')).toBe('400-820-1234');
    expect(normalizeLandline('83241234')).toBeUndefined();
  });
});

describe('canChangeStage', () => {
  it('moves forward, falls back from won to target, and revives a lost customer', () => {
    expect(canChangeStage('potential', 'target')).toBe(true);
    expect(canChangeStage('target', 'won')).toBe(true);
    expect(canChangeStage('won', 'target')).toBe(true);
    expect(canChangeStage('won', 'potential')).toBe(false);
    expect(canChangeStage('lost', 'potential')).toBe(true);
  });
});
