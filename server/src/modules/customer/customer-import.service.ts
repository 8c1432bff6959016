import type { CustomerImport } from '@shared/api/customer-import.js';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { conflict, notFound } from '../../http/app-error.js';
import { appendAudit } from '../audit/audit.service.js';
import { loadCustomerAccess, type CustomerAccess } from './customer-access.js';
import { parseImportWorkbook } from './customer-import.parse.js';
import { findImport, insertImport, insertRowsInChunks, transitionImport, updateImport, type CustomerImportRow } from './customer-import.repository.js';
import { findExistingDuplicates, validateImportRows, type ValidImportRow } from './customer-import.validate.js';
import { mainDepartmentId } from './customer-profile.service.js';
import { buildPhoneSearchTerms, buildSearchKeys, buildSearchTerms, withPhoneSearchText } from './customer.rules.js';
import { insertSearchTerms } from './customer-search.repository.js';
import { isUniqueViolation } from './duplicate-check.service.js';
import { loadRegionIndex, resolveRegionCodes } from './region.service.js';

/**
 * Excel import as a small job: upload → dry run in the background (progress polled by the H5) → the user
 * reviews the bad rows → commit imports the good rows in one transaction. The job row keeps the state, so
 * any server instance answers the polls.
 */
export interface ImportContext {
  db: Db;
  logger: Logger;
  now: () => Date;
}

const maxReportedErrors = 1000;
/** A job untouched this long while validating or importing was cut off by a restart. */
const staleAfterMs = 10 * 60_000;

export function toCustomerImport(row: CustomerImportRow, now: Date): CustomerImport {
  const stale = (row.status === 'validating' || row.status === 'importing') && now.getTime() - Date.parse(row.updated_at) > staleAfterMs;
  return {
    id: row.id,
    fileName: row.file_name,
    status: stale ? 'failed' : row.status,
    totalRows: row.total_rows,
    processedRows: row.processed_rows,
    goodRows: row.good_rows,
    badRows: row.bad_rows,
    importedCustomers: row.imported_customers,
    importedContacts: row.imported_contacts,
    errors: z.array(z.object({ row: z.number(), column: z.string(), message: z.string() })).parse(JSON.parse(row.errors)),
    failure: stale ? '导入中断（服务器重启），请重新上传' : row.failure,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Reads the file synchronously (so a broken file is a 400 at once) and validates the rows in the background. */
export async function startImport(context: ImportContext, actor: Actor, file: { buffer: Buffer; fileName: string }): Promise<CustomerImport> {
  const parsed = await parseImportWorkbook(file.buffer);
  const now = context.now();
  const id = await insertImport(context.db, { userId: actor.id, fileName: file.fileName.slice(0, 200), totalRows: parsed.rows.length, now: now.toISOString() });

  void runValidation(context, actor, id, parsed.rows).catch(async (error: unknown) => {
    context.logger.error({ err: error, importId: id }, 'customer import validation failed');
    await updateImport(context.db, id, { status: 'failed', failure: '校验时出错，请稍后重试', payload: null, updated_at: context.now().toISOString() }).catch(() => undefined);
  });
  return getImport(context.db, actor, id, now);
}

async function runValidation(context: ImportContext, actor: Actor, id: number, rows: Parameters<typeof validateImportRows>[2]): Promise<void> {
  const access = await loadCustomerAccess(context.db, actor);
  const validation = await validateImportRows(context.db, access, rows, async (processed) => {
    await updateImport(context.db, id, { processed_rows: processed, updated_at: context.now().toISOString() });
    // Let polls and other requests in between chunks.
    await new Promise((resolve) => setImmediate(resolve));
  });
  await updateImport(context.db, id, {
    status: 'validated',
    processed_rows: rows.length,
    good_rows: validation.good.length,
    bad_rows: validation.badRows,
    errors: JSON.stringify(validation.errors.slice(0, maxReportedErrors)),
    payload: JSON.stringify(validation.good),
    updated_at: context.now().toISOString(),
  });
  context.logger.info({ importId: id, good: validation.good.length, bad: validation.badRows }, 'customer import validated');
}

export async function getImport(db: DbExecutor, actor: Actor, id: number, now: Date): Promise<CustomerImport> {
  const row = await findImport(db, id);
  // Import jobs are private to whoever uploaded them: their report names customers and owners.
  if (!row || row.user_id !== actor.id) throw notFound('导入任务');
  return toCustomerImport(row, now);
}

/**
 * Imports the good rows of a validated job in one transaction. A row that became a duplicate since the
 * dry run (someone created that customer meanwhile) fails the whole commit with its row number, so the
 * user reruns the dry run; nothing is half imported.
 */
export async function commitImport(context: ImportContext, actor: Actor, id: number): Promise<CustomerImport> {
  const job = await findImport(context.db, id);
  if (!job || job.user_id !== actor.id) throw notFound('导入任务');
  if (job.status !== 'validated') throw conflict('import_not_ready', job.status === 'done' ? '这个文件已经导入过了' : '预检尚未完成，请稍候');
  if (job.good_rows === 0) throw conflict('import_nothing_to_import', '没有可导入的行：请按报告修改后重新上传');
  if (!(await transitionImport(context.db, id, 'validated', 'importing', context.now().toISOString()))) throw conflict('import_not_ready', '这个文件正在导入');

  const rows = z.array(z.custom<ValidImportRow>()).parse(JSON.parse(job.payload ?? '[]'));
  const startedAt = context.now();
  try {
    const counts = await context.db.transaction().execute(async (trx) => {
      const inserted = await insertImportedRows(trx, await loadCustomerAccess(trx, actor), rows, startedAt);
      await appendAudit(trx, { actorUserId: actor.id, action: 'customer.import', entityType: 'customer_import', entityId: id, data: { customers: inserted.customers, contacts: inserted.contacts }, occurredAt: startedAt });
      return inserted;
    });
    await updateImport(context.db, id, { status: 'done', imported_customers: counts.customers, imported_contacts: counts.contacts, payload: null, updated_at: context.now().toISOString() });
    context.logger.info({ importId: id, customers: counts.customers, contacts: counts.contacts, ms: Date.now() - startedAt.getTime() }, 'customer import committed');
  } catch (error) {
    const failure = error instanceof RowConflict ? error.message : '导入失败，没有任何客户被导入，请稍后重试';
    if (!(error instanceof RowConflict)) context.logger.error({ err: error, importId: id }, 'customer import commit failed');
    await updateImport(context.db, id, { status: 'failed', failure, updated_at: context.now().toISOString() });
  }
  return getImport(context.db, actor, id, context.now());
}

class RowConflict extends Error {}

async function insertImportedRows(trx: DbExecutor, access: CustomerAccess, rows: ValidImportRow[], now: Date): Promise<{ customers: number; contacts: number }> {
  // Re-check inside the transaction: someone may have created one of these customers since the dry run.
  const conflicts = await findExistingDuplicates(trx, access, rows);
  const first = [...conflicts.entries()].sort(([a], [b]) => a - b)[0];
  if (first) throw new RowConflict(`第 ${first[0]} 行：${first[1].message} 没有任何客户被导入，请重新上传文件预检`);

  const at = now.toISOString();
  const actorId = access.actor.id;
  const departments = new Map<number, number | null>();
  for (const ownerId of new Set(rows.map((row) => row.ownerId))) if (ownerId !== null) departments.set(ownerId, await mainDepartmentId(trx, ownerId));
  const regions = await loadRegionIndex(trx);

  const customerValues = rows.map(({ request, ownerId }) => {
    const region = resolveRegionCodes(regions, request.regionCode)!;
    const keys = buildSearchKeys(request.name, request.shortName ?? null, request.creditCode ?? null);
    const phoneTerms = buildPhoneSearchTerms(request.contacts.map((contact) => contact.landline ?? null));
    return {
      name: request.name,
      name_key: keys.nameKey,
      short_name: request.shortName ?? null,
      name_pinyin: keys.namePinyin,
      name_initials: keys.nameInitials,
      search_text: withPhoneSearchText(keys.searchText, phoneTerms),
      type: request.type,
      stage: request.stage,
      stage_changed_at: at,
      credit_code: request.creditCode ?? null,
      province_code: region.provinceCode,
      city_code: region.cityCode,
      county_code: region.countyCode,
      address: request.address ?? null,
      latitude: null,
      longitude: null,
      tags: JSON.stringify(request.tags ?? []),
      source: request.source ?? null,
      notes: request.notes ?? null,
      owner_id: ownerId,
      owned_since: ownerId === null ? null : at,
      department_id: ownerId === null ? null : departments.get(ownerId)!,
      credit_limit_fen: null,
      released_at: ownerId === null ? at : null,
      release_reason: ownerId === null ? 'Excel 导入入公海' : null,
      released_by: null,
      last_followed_up_at: null,
      created_by: actorId,
      created_at: at,
      updated_at: at,
      version: 1,
    };
  });

  let ids: number[];
  try {
    ids = await insertRowsInChunks(trx, 'customer', customerValues, 200);
  } catch (error) {
    if (isUniqueViolation(error)) throw new RowConflict('有客户刚刚已被他人录入，没有任何客户被导入：请重新上传文件预检');
    throw error;
  }

  const termRows = rows.flatMap(({ request }, index) => {
    const terms = new Set([...buildSearchTerms(request.name, request.shortName ?? null, request.creditCode ?? null), ...buildPhoneSearchTerms(request.contacts.map((contact) => contact.landline ?? null))]);
    return [...terms].map((term) => ({ term, customer_id: ids[index]! }));
  });
  // Inserting in key order appends to the index instead of splitting pages all over it.
  termRows.sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : a.customer_id - b.customer_id));
  await insertSearchTerms(trx, termRows);

  const contactValues = rows.flatMap(({ request }, index) =>
    request.contacts.map((contact) => ({
      customer_id: ids[index]!,
      name: contact.name,
      title: contact.title ?? null,
      role: contact.role,
      mobile: contact.mobile ?? null,
      landline: contact.landline ?? null,
      email: contact.email ?? null,
      is_key: contact.isKey ? 1 : 0,
      notes: contact.notes ?? null,
      created_by: actorId,
      created_at: at,
      updated_at: at,
    })),
  );
  await insertRowsInChunks(trx, 'contact', contactValues, 500);
  await insertRowsInChunks(
    trx,
    'customer_stage_change',
    rows.map(({ request }, index) => ({ customer_id: ids[index]!, from_stage: null, to_stage: request.stage, reason: 'Excel 导入', actor_user_id: actorId, changed_at: at })),
    500,
  );
  await insertRowsInChunks(
    trx,
    'customer_timeline',
    ids.map((customerId) => ({ customer_id: customerId, kind: 'import', ref_type: null, ref_id: null, title: 'Excel 导入', summary: null, actor_user_id: actorId, occurred_at: at, dedup_key: null, created_at: at })),
    500,
  );
  return { customers: ids.length, contacts: contactValues.length };
}
