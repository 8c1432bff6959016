import { z } from 'zod';

/**
 * Money rules shared by the server and the phone. Amounts are integer fen (1 yuan = 100 fen); a discount
 * is basis points of list price (6.2折 = 62 % = 6200). No floating point touches money: products are
 * computed in BigInt where they could exceed 2^53.
 */
export const fenSchema = z.number().int('金额必须是整数（单位：分）').min(0, '金额不能为负数').max(Number.MAX_SAFE_INTEGER);
export const signedFenSchema = z.number().int('金额必须是整数（单位：分）');
export const discountSchema = z.number().int('折扣必须是整数（万分比）').min(0, '折扣不能小于 0').max(10_000, '折扣不能超过 10 折');

export type Fen = number;
export type DiscountBasisPoints = number;

const fullDiscount = 10_000n;

/** 码洋 of a line: list price × quantity. */
export function listAmount(listPriceFen: Fen, quantity: number): Fen {
  return toSafeNumber(BigInt(listPriceFen) * BigInt(quantity));
}

/**
 * 实洋 of a line: list price × quantity × discount / 10000, rounded half up to the fen, per line.
 * Quantities may be negative (returns); rounding is then half away from zero so a return mirrors its sale.
 */
export function netAmount(listPriceFen: Fen, quantity: number, discount: DiscountBasisPoints): Fen {
  const product = BigInt(listPriceFen) * BigInt(quantity) * BigInt(discount);
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const rounded = (magnitude * 2n + fullDiscount) / (fullDiscount * 2n);
  return toSafeNumber(negative ? -rounded : rounded);
}

export interface MoneyLine {
  listPriceFen: Fen;
  quantity: number;
  discount: DiscountBasisPoints;
}

export interface LineAmounts {
  listAmountFen: Fen;
  netAmountFen: Fen;
}

export function lineAmounts(line: MoneyLine): LineAmounts {
  return { listAmountFen: listAmount(line.listPriceFen, line.quantity), netAmountFen: netAmount(line.listPriceFen, line.quantity, line.discount) };
}

export interface Totals {
  listAmountFen: Fen;
  netAmountFen: Fen;
  quantity: number;
}

/** Totals are sums of the per-line amounts, never a discount applied to a total. */
export function sumLines(lines: readonly MoneyLine[]): Totals & { lines: LineAmounts[] } {
  let list = 0n;
  let net = 0n;
  let quantity = 0;
  const amounts: LineAmounts[] = [];
  for (const line of lines) {
    const amount = lineAmounts(line);
    amounts.push(amount);
    list += BigInt(amount.listAmountFen);
    net += BigInt(amount.netAmountFen);
    quantity += line.quantity;
  }
  return { listAmountFen: toSafeNumber(list), netAmountFen: toSafeNumber(net), quantity, lines: amounts };
}

/** Formats fen as yuan with two decimals and thousands separators: 123456 → '1,234.56'. */
export function formatFen(fen: Fen): string {
  const negative = fen < 0;
  const magnitude = BigInt(Math.abs(fen));
  const yuan = (magnitude / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (magnitude % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${cents}`;
}

/** Formats fen with the ¥ sign: 123456 → '¥1,234.56'. */
export function formatYuan(fen: Fen): string {
  return fen < 0 ? `-¥${formatFen(-fen)}` : `¥${formatFen(fen)}`;
}

/**
 * Parses a yuan amount typed by a user or found in a spreadsheet ('68', '68.5', '1,234.56', '¥68.00')
 * into fen without floating point. Returns undefined for anything else, including a third decimal.
 */
export function parseYuanToFen(text: string): Fen | undefined {
  const cleaned = text.trim().replace(/^[¥￥]|元$/g, '').replace(/,/g, '').trim();
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return undefined;
  const fen = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return toSafeNumber(match[1] === '-' ? -fen : fen);
}

/** Formats a discount the way the book trade writes it: 6200 → '6.2折', 10000 → '10折', 6250 → '6.25折'. */
export function formatDiscount(discount: DiscountBasisPoints): string {
  const whole = Math.trunc(discount / 1000);
  const rest = String(discount % 1000).padStart(3, '0').replace(/0+$/, '');
  return rest ? `${whole}.${rest}折` : `${whole}折`;
}

/** Parses '6.2', '6.2折', '62%' into basis points; undefined when out of 0–10 折 or more precise than 0.01 %. */
export function parseDiscount(text: string): DiscountBasisPoints | undefined {
  const cleaned = text.trim();
  const percent = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%$/.exec(cleaned);
  if (percent) {
    const value = Number(percent[1]) * 100 + Number((percent[2] ?? '').padEnd(2, '0'));
    return value <= 10_000 ? value : undefined;
  }
  const zhe = /^(\d{1,2})(?:\.(\d{1,3}))?\s*折?$/.exec(cleaned);
  if (!zhe) return undefined;
  const value = Number(zhe[1]) * 1000 + Number((zhe[2] ?? '').padEnd(3, '0'));
  return value <= 10_000 ? value : undefined;
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`amount ${value} fen is outside the safe integer range`);
  }
  return Number(value);
}
