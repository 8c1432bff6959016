import type { Insertable, Selectable, Updateable } from 'kysely';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import type { ContractAttachmentTable, ContractInstallmentTable, ContractLineTable, ContractTable } from './contract.tables.js';

export type ContractRow = Selectable<ContractTable>;
export type ContractLineRow = Selectable<ContractLineTable>;
export type ContractInstallmentRow = Selectable<ContractInstallmentTable>;

/**
 * Takes the next value of a year's contract sequence (1, 2, …) inside the caller's transaction. The upsert
 * increments atomically, so two contracts created at once never share a number.
 */
export async function takeNextContractSequence(db: DbExecutor, year: number): Promise<number> {
  const row = await db
    .insertInto('contract_number_sequence')
    .values({ year, last_value: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet((eb) => ({ last_value: eb('contract_number_sequence.last_value', '+', 1) })))
    .returning('last_value')
    .executeTakeFirstOrThrow();
  return row.last_value;
}

export async function insertContract(db: DbExecutor, row: Insertable<ContractTable>): Promise<number> {
  const inserted = await db.insertInto('contract').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findContractById(db: DbExecutor, id: number): Promise<ContractRow | undefined> {
  return db.selectFrom('contract').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Applies `patch` when the contract still has `expectedVersion`; false when another change came first. */
export async function updateContractIfVersion(db: DbExecutor, id: number, expectedVersion: number, patch: Omit<Updateable<ContractTable>, 'id' | 'version'>): Promise<boolean> {
  const result = await db
    .updateTable('contract')
    .set({ ...patch, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Unconditional update with a version bump, for approval callbacks that run under the approval's lock. */
export async function updateContract(db: DbExecutor, id: number, patch: Omit<Updateable<ContractTable>, 'id' | 'version'>): Promise<void> {
  await db
    .updateTable('contract')
    .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function replaceContractLines(db: DbExecutor, contractId: number, lines: Omit<Insertable<ContractLineTable>, 'contract_id'>[]): Promise<void> {
  await db.deleteFrom('contract_line').where('contract_id', '=', contractId).execute();
  if (lines.length > 0) await db.insertInto('contract_line').values(lines.map((line) => ({ ...line, contract_id: contractId }))).execute();
}

export async function replaceInstallments(db: DbExecutor, contractId: number, installments: Omit<Insertable<ContractInstallmentTable>, 'contract_id'>[]): Promise<void> {
  await db.deleteFrom('contract_installment').where('contract_id', '=', contractId).execute();
  if (installments.length > 0) await db.insertInto('contract_installment').values(installments.map((row) => ({ ...row, contract_id: contractId }))).execute();
}

export async function listContractLines(db: DbExecutor, contractId: number): Promise<ContractLineRow[]> {
  return db.selectFrom('contract_line').selectAll().where('contract_id', '=', contractId).orderBy('seq').execute();
}

export async function listInstallments(db: DbExecutor, contractId: number): Promise<ContractInstallmentRow[]> {
  return db.selectFrom('contract_installment').selectAll().where('contract_id', '=', contractId).orderBy('seq').execute();
}

export async function insertAttachment(db: DbExecutor, row: Insertable<ContractAttachmentTable>): Promise<number> {
  const inserted = await db.insertInto('contract_attachment').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** Attachments not removed, oldest first, with the uploader's name. */
export async function listAttachments(db: DbExecutor, contractId: number) {
  return db
    .selectFrom('contract_attachment')
    .innerJoin('app_user', 'app_user.id', 'contract_attachment.uploaded_by')
    .selectAll('contract_attachment')
    .select('app_user.name as uploaded_by_name')
    .where('contract_attachment.contract_id', '=', contractId)
    .where('contract_attachment.removed_at', 'is', null)
    .orderBy('contract_attachment.id')
    .execute();
}

export async function findAttachment(db: DbExecutor, contractId: number, attachmentId: number) {
  return db
    .selectFrom('contract_attachment')
    .selectAll()
    .where('contract_id', '=', contractId)
    .where('id', '=', attachmentId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
}

export async function markAttachmentRemoved(db: DbExecutor, attachmentId: number, now: Date): Promise<void> {
  await db.updateTable('contract_attachment').set({ removed_at: now.toISOString() }).where('id', '=', attachmentId).execute();
}

export interface ContractListFilter {
  scope: DataScope;
  status?: string;
  customerId?: number;
  q?: string;
  before?: number;
  limit: number;
}

/** A page of contracts in scope, newest first, with customer and owner names. */
export async function listContracts(db: DbExecutor, filter: ContractListFilter) {
  let query = db
    .selectFrom('contract')
    .innerJoin('customer', 'customer.id', 'contract.customer_id')
    .innerJoin('app_user as owner', 'owner.id', 'contract.owner_id')
    .selectAll('contract')
    .select(['customer.name as customer_name', 'owner.name as owner_name']);
  if (filter.scope.kind === 'users') query = query.where('contract.owner_id', 'in', filter.scope.userIds.length > 0 ? filter.scope.userIds : [-1]);
  if (filter.status) query = query.where('contract.status', '=', filter.status);
  if (filter.customerId) query = query.where('contract.customer_id', '=', filter.customerId);
  if (filter.q) {
    // Wildcards typed by the user are dropped rather than escaped: LIKE … ESCAPE differs between dialects.
    const pattern = `%${filter.q.replace(/[%_]/g, '')}%`;
    query = query.where((eb) => eb.or([eb('contract.number', 'like', pattern), eb('contract.title', 'like', pattern), eb('customer.name', 'like', pattern)]));
  }
  if (filter.before) query = query.where('contract.id', '<', filter.before);
  return query.orderBy('contract.id', 'desc').limit(filter.limit).execute();
}

export async function findNames(db: DbExecutor, contract: ContractRow) {
  const [customer, owner] = await Promise.all([
    db.selectFrom('customer').select('name').where('id', '=', contract.customer_id).executeTakeFirst(),
    db.selectFrom('app_user').select('name').where('id', '=', contract.owner_id).executeTakeFirst(),
  ]);
  return { customerName: customer?.name ?? '', ownerName: owner?.name ?? '' };
}

export async function findUserName(db: DbExecutor, userId: number | null): Promise<string> {
  if (userId === null) return '';
  const row = await db.selectFrom('app_user').select('name').where('id', '=', userId).executeTakeFirst();
  return row?.name ?? '';
}
