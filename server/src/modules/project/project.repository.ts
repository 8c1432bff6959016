import { sql } from 'kysely';
import type { DataScope } from '../../access/scope.js';
import type { DbExecutor } from '../../db/database.js';
import type { ProjectKind, ProjectMemberRole, ProjectStatus } from '@shared/project-rules.js';

export interface ProjectListFilter {
  scope: DataScope;
  actorId: number;
  mine: boolean;
  q?: string;
  kind?: ProjectKind;
  status?: ProjectStatus;
  ownerId?: number;
  limit: number;
  offset: number;
}

const projectColumns = [
  'project.id',
  'project.number',
  'project.kind',
  'project.name',
  'project.status',
  'project.owner_id',
  'project.opportunity_id',
  'project.budget_fen',
  'project.start_date',
  'project.end_date',
  'project.description',
  'project.closed_reason',
  'project.closed_at',
  'project.closed_by',
  'project.created_by',
  'project.created_at',
  'project.updated_at',
  'app_user.name as owner_name',
] as const;

export type ProjectRow = NonNullable<Awaited<ReturnType<typeof findProjectById>>>;

export async function findProjectById(db: DbExecutor, id: number) {
  return db.selectFrom('project').innerJoin('app_user', 'app_user.id', 'project.owner_id').select(projectColumns).where('project.id', '=', id).executeTakeFirst();
}

/**
 * Projects visible to the actor: the owner is in their scope, or they are a member. `mine` narrows to the
 * projects the actor owns or belongs to, whatever their scope.
 */
export async function listProjects(db: DbExecutor, filter: ProjectListFilter) {
  let query = db.selectFrom('project').innerJoin('app_user', 'app_user.id', 'project.owner_id');

  const memberOf = db.selectFrom('project_member').select('project_member.project_id').where('project_member.user_id', '=', filter.actorId);
  if (filter.mine) {
    query = query.where((eb) => eb.or([eb('project.owner_id', '=', filter.actorId), eb('project.id', 'in', memberOf)]));
  } else if (filter.scope.kind === 'users') {
    const owners = filter.scope.userIds;
    query = query.where((eb) => eb.or([eb('project.owner_id', 'in', owners), eb('project.id', 'in', memberOf)]));
  }
  if (filter.kind) query = query.where('project.kind', '=', filter.kind);
  if (filter.status) query = query.where('project.status', '=', filter.status);
  if (filter.ownerId) query = query.where('project.owner_id', '=', filter.ownerId);
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    const customerMatch = db.selectFrom('project_customer').select('project_customer.project_id').where(sql<boolean>`customer_name like ${pattern} escape '\\'`);
    query = query.where((eb) =>
      eb.or([eb(sql`project.name`, 'like', sql`${pattern} escape '\\'`), eb(sql`project.number`, 'like', sql`${pattern} escape '\\'`), eb('project.id', 'in', customerMatch)]),
    );
  }

  const [rows, count] = await Promise.all([
    query.select(projectColumns).orderBy('project.updated_at', 'desc').orderBy('project.id', 'desc').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/**
 * Projects that are not cancelled, include the customer and that the actor manages (owner in scope) or
 * belongs to, newest activity first. Without a customer: every such project the actor owns or belongs to.
 */
export async function listProjectsToLinkTo(db: DbExecutor, filter: { scope: DataScope; actorId: number; customerId: number | null }) {
  const memberOf = db.selectFrom('project_member').select('project_member.project_id').where('project_member.user_id', '=', filter.actorId);
  let query = db.selectFrom('project').innerJoin('app_user', 'app_user.id', 'project.owner_id').select(projectColumns).where('project.status', '<>', 'cancelled');
  if (filter.customerId !== null) {
    const withCustomer = db.selectFrom('project_customer').select('project_customer.project_id').where('project_customer.customer_id', '=', filter.customerId);
    query = query.where('project.id', 'in', withCustomer);
    if (filter.scope.kind === 'users') {
      const owners = filter.scope.userIds;
      query = query.where((eb) => eb.or([eb('project.owner_id', 'in', owners), eb('project.id', 'in', memberOf)]));
    }
  } else {
    query = query.where((eb) => eb.or([eb('project.owner_id', '=', filter.actorId), eb('project.id', 'in', memberOf)]));
  }
  return query.orderBy('project.status').orderBy('project.updated_at', 'desc').limit(100).execute();
}

export async function countProjectsNumberedInYear(db: DbExecutor, year: number): Promise<number> {
  const row = await db
    .selectFrom('project')
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .where('number', 'like', `XM-${year}-%`)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export async function insertProject(
  db: DbExecutor,
  values: {
    number: string;
    kind: ProjectKind;
    name: string;
    ownerId: number;
    opportunityId: number | null;
    budgetFen: number;
    startDate: string | null;
    endDate: string | null;
    description: string;
    createdBy: number;
    now: string;
  },
): Promise<number> {
  const row = await db
    .insertInto('project')
    .values({
      number: values.number,
      kind: values.kind,
      name: values.name,
      status: 'active',
      owner_id: values.ownerId,
      opportunity_id: values.opportunityId,
      budget_fen: values.budgetFen,
      start_date: values.startDate,
      end_date: values.endDate,
      description: values.description,
      created_by: values.createdBy,
      created_at: values.now,
      updated_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateProject(
  db: DbExecutor,
  id: number,
  changes: Partial<{ name: string; kind: ProjectKind; status: ProjectStatus; owner_id: number; budget_fen: number; start_date: string | null; end_date: string | null; description: string }>,
  now: string,
): Promise<void> {
  await db
    .updateTable('project')
    .set({ ...changes, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Marks the project as changed, so lists sorted by activity show it first. */
export async function touchProject(db: DbExecutor, id: number, now: string): Promise<void> {
  await db.updateTable('project').set({ updated_at: now }).where('id', '=', id).execute();
}

// ---- Customers ----

export async function listProjectCustomers(db: DbExecutor, projectIds: number[]) {
  if (projectIds.length === 0) return [];
  return db
    .selectFrom('project_customer')
    .selectAll()
    .where('project_id', 'in', projectIds)
    .orderBy('project_id')
    .orderBy('is_primary', 'desc')
    .orderBy('customer_name')
    .execute();
}

export async function replaceProjectCustomers(db: DbExecutor, projectId: number, customers: { id: number; name: string }[]): Promise<void> {
  await db.deleteFrom('project_customer').where('project_id', '=', projectId).execute();
  if (customers.length === 0) return;
  await db
    .insertInto('project_customer')
    .values(customers.map((customer, index) => ({ project_id: projectId, customer_id: customer.id, customer_name: customer.name, is_primary: index === 0 ? 1 : 0 })))
    .execute();
}

// ---- Members ----

export async function listMembers(db: DbExecutor, projectId: number) {
  return db
    .selectFrom('project_member')
    .innerJoin('app_user', 'app_user.id', 'project_member.user_id')
    .select(['project_member.user_id', 'project_member.role', 'project_member.added_at', 'app_user.name'])
    .where('project_member.project_id', '=', projectId)
    .orderBy('project_member.added_at')
    .orderBy('project_member.user_id')
    .execute();
}

export async function isProjectMember(db: DbExecutor, projectId: number, userId: number): Promise<boolean> {
  const row = await db.selectFrom('project_member').select('user_id').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

export async function upsertMember(db: DbExecutor, values: { projectId: number; userId: number; role: ProjectMemberRole; addedBy: number; now: string }): Promise<void> {
  await db
    .insertInto('project_member')
    .values({ project_id: values.projectId, user_id: values.userId, role: values.role, added_by: values.addedBy, added_at: values.now })
    .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ role: values.role }))
    .execute();
}

export async function deleteMember(db: DbExecutor, projectId: number, userId: number): Promise<number> {
  const result = await db.deleteFrom('project_member').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function findActiveUsers(db: DbExecutor, userIds: number[]) {
  if (userIds.length === 0) return [];
  return db.selectFrom('app_user').select(['id', 'name']).where('id', 'in', userIds).where('active', '=', 1).execute();
}

/** Name of any user, active or not, for showing who did something in the past. */
export async function findUserName(db: DbExecutor, userId: number): Promise<string | undefined> {
  const row = await db.selectFrom('app_user').select('name').where('id', '=', userId).executeTakeFirst();
  return row?.name;
}

export async function setProjectClosure(db: DbExecutor, id: number, closure: { reason: string; at: string; by: number } | null): Promise<void> {
  await db
    .updateTable('project')
    .set({ closed_reason: closure?.reason ?? null, closed_at: closure?.at ?? null, closed_by: closure?.by ?? null })
    .where('id', '=', id)
    .execute();
}
