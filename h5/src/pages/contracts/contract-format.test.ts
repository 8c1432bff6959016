import { describe, expect, it } from 'vitest';
import { contractStatusTagType, parsePercent, percentText } from './contract-format';

describe('parsePercent', () => {
  it('reads percentages with up to two decimals', () => {
    expect(parsePercent('30')).toBe(3000);
    expect(parsePercent('33.33')).toBe(3333);
    expect(parsePercent('12.5%')).toBe(1250);
  });

  it('refuses zero, over 100 and more decimals', () => {
    expect(parsePercent('0')).toBeUndefined();
    expect(parsePercent('100.01')).toBeUndefined();
    expect(parsePercent('1.234')).toBeUndefined();
  });
});

describe('percentText', () => {
  it('drops trailing zeros', () => {
    expect(percentText(3000)).toBe('30');
    expect(percentText(3333)).toBe('33.33');
    expect(percentText(1250)).toBe('12.5');
  });
});

describe('contractStatusTagType', () => {
  it('marks reviews as warnings and voided as danger', () => {
    expect(contractStatusTagType('in_review')).toBe('warning');
    expect(contractStatusTagType('voided')).toBe('danger');
    expect(contractStatusTagType('draft')).toBe('default');
  });
});
