import { toHalfWidth } from './isbn.js';

/**
 * Pure customer rules shared by the server and the H5: the enums with their Chinese labels, the stage
 * transition table, name normalization for the duplicate check, and mainland phone validation.
 */

export const customerTypes = ['online_platform', 'xinhua_store', 'private_store', 'library', 'school', 'institution', 'corporate', 'other'] as const;
export type CustomerType = (typeof customerTypes)[number];

export const customerTypeLabels: Record<CustomerType, string> = {
  online_platform: '线上平台',
  xinhua_store: '新华书店',
  private_store: '民营书店',
  library: '馆配（图书馆）',
  school: '学校/教材',
  institution: '机关团体',
  corporate: '企业团购',
  other: '其他',
};

export const customerStages = ['potential', 'target', 'won', 'lost'] as const;
export type CustomerStage = (typeof customerStages)[number];

export const customerStageLabels: Record<CustomerStage, string> = {
  potential: '潜在客户',
  target: '目标客户',
  won: '成交客户',
  lost: '流失客户',
};

/**
 * Allowed stage moves. A customer moves forward potential → target → won; any stage can be lost, and a
 * lost customer can be revived as potential or target. Won can fall back to target (a contract cancelled).
 */
const stageTransitions: Record<CustomerStage, readonly CustomerStage[]> = {
  potential: ['target', 'won', 'lost'],
  target: ['potential', 'won', 'lost'],
  won: ['target', 'lost'],
  lost: ['potential', 'target', 'won'],
};

export function canChangeStage(from: CustomerStage, to: CustomerStage): boolean {
  return stageTransitions[from].includes(to);
}

export const contactRoles = ['decision_maker', 'purchaser', 'finance', 'librarian', 'teacher', 'store_manager', 'other'] as const;
export type ContactRole = (typeof contactRoles)[number];

export const contactRoleLabels: Record<ContactRole, string> = {
  decision_maker: '决策人',
  purchaser: '采购',
  finance: '财务',
  librarian: '馆员',
  teacher: '负责老师',
  store_manager: '店长',
  other: '其他',
};

/** Types whose customers often have no unified social credit code of their own (a school library, a class). */
export const creditCodeOptionalTypes: readonly CustomerType[] = ['school', 'library', 'other'];

/**
 * Company suffixes ignored when comparing names, longest first so 股份有限公司 is removed whole.
 * Only a trailing suffix is removed: 有限公司 inside a name is part of the name.
 */
const companySuffixes = ['股份有限公司', '有限责任公司', '集团有限公司', '有限公司', '责任公司', '公司', 'coltd', 'ltd', 'inc'];

/**
 * Normalizes a name into the key the duplicate check compares: full-width to half-width, lower case, without
 * spaces, punctuation or brackets (Chinese or ASCII; their contents stay), and without a trailing company
 * suffix. '南京新华书店（鼓楼店）有限公司' and '南京新华书店(鼓楼店)' give the same key.
 */
export function normalizeCustomerName(name: string): string {
  let key = toHalfWidth(name.normalize('NFKC'))
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
  for (const suffix of companySuffixes) {
    if (key.length > suffix.length && key.endsWith(suffix)) {
      key = key.slice(0, -suffix.length);
      break;
    }
  }
  return key;
}

/** Mainland mobile: 11 digits starting 13–19, optionally prefixed +86 / 86 and written with spaces or dashes. */
export function normalizeMobile(input: string): string | undefined {
  let digits = toHalfWidth(input).replace(/[\s-]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.length === 13 && digits.startsWith('86')) digits = digits.slice(2);
  return /^1[3-9]\d{9}$/.test(digits) ? digits : undefined;
}

/** Landline such as 025-83241234, 0571 8765 4321 or 400-820-1234, with an optional extension. */
export function normalizeLandline(input: string): string | undefined {
  const text = toHalfWidth(input).trim().replace(/\s+/g, '-');
  if (/^(0\d{2,3}-?\d{7,8}|400-?\d{3}-?\d{4})(-\d{1,6})?$/.test(text)) return text;
  // 0571 8765 4321: the local number typed in two groups is stored as one.
  const grouped = /^(0\d{2,3})-(\d{3,4})-(\d{4})(-\d{1,6})?$/.exec(text);
  return grouped ? `${grouped[1]}-${grouped[2]}${grouped[3]}${grouped[4] ?? ''}` : undefined;
}

/**
 * Returns the digit strings a landline is searched by: the number with its area code and without it
 * ('0571-87654321-808' gives ['057187654321', '87654321']), or a 400/800 service number whole. The
 * extension is left out. Without a separator the area code is split by the national plan: 010 and 02x
 * have three digits, every other area code four.
 */
export function landlineSearchNumbers(landline: string): string[] {
  const text = toHalfWidth(landline.normalize('NFKC')).trim();

  const service = /^([48]00)\D?(\d{3})\D?(\d{4})(?!\d)/.exec(text);
  if (service) return [service.slice(1).join('')];

  const separated = /^\(?(0\d{2,3})\)?[\s-]+(\d{7,8})(?!\d)/.exec(text);
  if (separated) return [separated[1]! + separated[2]!, separated[2]!];

  const joined = /^0\d{9,11}(?!\d)/.exec(text);
  if (joined) {
    const areaLength = /^0(10|2\d)/.test(joined[0]) ? 3 : 4;
    const local = joined[0].slice(areaLength);
    if (local.length === 7 || local.length === 8) return [joined[0], local];
  }

  const localOnly = /^(\d{7,8})(?!\d)/.exec(text);
  if (localOnly) return [localOnly[1]!];

  // Anything else (typed before validation existed): its digits, when there are enough to name a number.
  const digits = text.replace(/\D/g, '');
  return digits.length >= 7 ? [digits] : [];
}

/** Shows a mobile as 138 1234 5678; masked form 138****5678 for logs and the duplicate message. */
export function formatMobile(mobile: string): string {
  return mobile.length === 11 ? `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}` : mobile;
}

export function maskMobile(mobile: string): string {
  return mobile.length === 11 ? `${mobile.slice(0, 3)}****${mobile.slice(7)}` : '***';
}
