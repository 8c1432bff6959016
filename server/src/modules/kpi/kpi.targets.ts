import type { KpiFigures } from '@shared/kpi-rules.js';
import { attainmentBp, targetFigureOf } from '@shared/kpi-rules.js';
import { targetMetricSchema } from '@shared/api/target.js';
import type { TargetRecord } from '../target/target.repository.js';
import { departmentTargetsFrom, userTargetsFrom, type TargetBook, type TargetTotals } from '../target/target.service.js';

/**
 * A target book split by subject, for tables and leaderboards with a row per rep. The target service's
 * functions scan every record of the book they are given. Handing each call only its subject's records
 * keeps a thousand-rep table linear instead of reading 48,000 records a thousand times.
 */
export interface IndexedTargets {
  userTargets(userId: number): TargetTotals;
  departmentTargets(departmentId: number, memberIds: readonly number[]): TargetTotals;
}

export function indexTargetBook(book: TargetBook): IndexedTargets {
  const bySubject = new Map<string, TargetRecord[]>();
  for (const record of book.records) {
    const key = `${record.subject_type}:${record.subject_id}`;
    const records = bySubject.get(key);
    if (records) records.push(record);
    else bySubject.set(key, [record]);
  }
  const recordsOf = (type: 'user' | 'department', id: number) => bySubject.get(`${type}:${id}`) ?? [];

  return {
    userTargets: (userId) => userTargetsFrom({ records: recordsOf('user', userId) }, userId),
    departmentTargets: (departmentId, memberIds) =>
      departmentTargetsFrom({ records: [...recordsOf('department', departmentId), ...memberIds.flatMap((id) => recordsOf('user', id))] }, departmentId, memberIds),
  };
}

/** Chinese collation for sorting names; one collator instead of a locale lookup on every comparison. */
export const chineseCollator = new Intl.Collator('zh-CN');

/** Attainment of each target metric in basis points; null where no target is set. */
export function attainmentOf(figures: KpiFigures, targets: TargetTotals): TargetTotals {
  const result: TargetTotals = { contract_amount: null, receipts: null, new_customers: null, visits: null };
  for (const metric of targetMetricSchema.options) result[metric] = attainmentBp(figures[targetFigureOf[metric]], targets[metric]);
  return result;
}
