import { toHalfWidth } from './isbn.js';

/**
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a 31-symbol alphabet
 * of digits and upper-case letters without I, O, Z, S and V. The last character is a mod-31 check over
 * the first 17 with fixed weights.
 */
const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** Registration-authority codes of position 1 in the standard (1 机构编制, 5 民政, 9 工商 …, Y 其他). */
const authorityCodes = new Set(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'N', 'Y']);

export type CreditCodeResult = { ok: true; code: string } | { ok: false; reason: 'invalid_length' | 'invalid_charset' | 'invalid_checksum' | 'invalid_authority' };

export function parseCreditCode(input: string): CreditCodeResult {
  const code = toHalfWidth(input).trim().replace(/\s/g, '').toUpperCase();
  if (code.length !== 18) return { ok: false, reason: 'invalid_length' };
  for (const character of code) {
    if (!alphabet.includes(character)) return { ok: false, reason: 'invalid_charset' };
  }
  if (!authorityCodes.has(code[0]!)) return { ok: false, reason: 'invalid_authority' };

  let sum = 0;
  for (let index = 0; index < 17; index += 1) sum += alphabet.indexOf(code[index]!) * weights[index]!;
  const expected = alphabet[(31 - (sum % 31)) % 31];
  return expected === code[17] ? { ok: true, code } : { ok: false, reason: 'invalid_checksum' };
}

export const creditCodeErrorMessages: Record<Exclude<CreditCodeResult, { ok: true }>['reason'], string> = {
  invalid_length: '统一社会信用代码应为 18 位',
  invalid_charset: '统一社会信用代码只能包含数字和大写字母（不含 I、O、Z、S、V）',
  invalid_checksum: '统一社会信用代码校验位不正确，请核对营业执照',
  invalid_authority: '统一社会信用代码第 1 位（登记管理部门代码）不正确',
};
