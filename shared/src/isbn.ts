/**
 * ISBN rules (ISO 2108): ISBN-10 check digit mod 11 (X = 10), ISBN-13 mod 10 with weights 1 and 3.
 * Input may carry hyphens, spaces, an 'ISBN' label or a lower-case x; everything is stored as ISBN-13.
 */
export type IsbnResult =
  | { ok: true; isbn13: string }
  | { ok: false; reason: 'invalid_format' | 'invalid_length' | 'invalid_checksum' | 'invalid_charset' };

export function normalizeIsbnInput(input: string): string {
  return toHalfWidth(input)
    .trim()
    .replace(/^isbn(?:-1[03])?[:：]?\s*/i, '')
    .replace(/[\s\-‐‑–]/g, '')
    .toUpperCase();
}

export function parseIsbn(input: string): IsbnResult {
  const compact = normalizeIsbnInput(input);
  if (!/^[0-9X]+$/.test(compact)) return { ok: false, reason: /\d/.test(compact) ? 'invalid_charset' : 'invalid_format' };

  if (compact.length === 13) {
    if (!/^97[89]\d{10}$/.test(compact)) return { ok: false, reason: 'invalid_format' };
    return isbn13CheckDigit(compact.slice(0, 12)) === compact[12] ? { ok: true, isbn13: compact } : { ok: false, reason: 'invalid_checksum' };
  }
  if (compact.length === 10) {
    if (!/^\d{9}[\dX]$/.test(compact)) return { ok: false, reason: 'invalid_format' };
    if (isbn10CheckDigit(compact.slice(0, 9)) !== compact[9]) return { ok: false, reason: 'invalid_checksum' };
    const body = `978${compact.slice(0, 9)}`;
    return { ok: true, isbn13: body + isbn13CheckDigit(body) };
  }
  return { ok: false, reason: 'invalid_length' };
}

/** Full-width digits and letters, common when a code is pasted from a Chinese PDF or IME, become ASCII. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (character) => String.fromCharCode(character.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

export function isbn13CheckDigit(first12: string): string {
  let sum = 0;
  for (let index = 0; index < 12; index += 1) sum += Number(first12[index]) * (index % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

export function isbn10CheckDigit(first9: string): string {
  let sum = 0;
  for (let index = 0; index < 9; index += 1) sum += Number(first9[index]) * (10 - index);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

export const isbnErrorMessages: Record<Exclude<IsbnResult, { ok: true }>['reason'], string> = {
  invalid_format: 'ISBN 格式不正确：应为 978 或 979 开头的 13 位，或 10 位（末位可为 X）',
  invalid_length: 'ISBN 位数不对：应为 13 位或 10 位（可含连字符）',
  invalid_checksum: 'ISBN 校验位不正确，请核对条码或重新扫描',
  invalid_charset: 'ISBN 只能包含数字、连字符和末位的 X',
};

/**
 * Splits an ISBN-13 into prefix, body and check digit for reading (9787506425957 → 978-750642595-7).
 * The registrant groups inside the body need the ISBN range tables, which the product does not ship.
 */
export function formatIsbn13(isbn13: string): string {
  return `${isbn13.slice(0, 3)}-${isbn13.slice(3, 12)}-${isbn13.slice(12)}`;
}
