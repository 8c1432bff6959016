import type { TimelineEntry, TimelineKind } from '@shared/api/customer.js';
import { timelineKindSchema } from '@shared/api/customer.js';
import type { DbExecutor } from '../../db/database.js';

/**
 * The customer timeline of the 360 view. Other modules append to it in their own transaction (a visit
 * checked in, a quote approved, a receipt recorded…) through appendTimeline; it is read newest first.
 */
export interface TimelineInput {
  customerId: number;
  kind: TimelineKind;
  /** What the entry points at, e.g. refType 'quote', refId '42', so the H5 can link to it. */
  refType?: string | null;
  refId?: string | number | null;
  title: string;
  summary?: string | null;
  actorUserId: number | null;
  occurredAt: Date;
  /** Makes a retried append a no-op, e.g. 'quote:42:approved'. */
  dedupKey?: string;
}

export async function appendTimeline(db: DbExecutor, input: TimelineInput): Promise<void> {
  await db
    .insertInto('customer_timeline')
    .values({
      customer_id: input.customerId,
      kind: input.kind,
      ref_type: input.refType ?? null,
      ref_id: input.refId === undefined || input.refId === null ? null : String(input.refId),
      title: input.title,
      summary: input.summary ?? null,
      actor_user_id: input.actorUserId,
      occurred_at: input.occurredAt.toISOString(),
      dedup_key: input.dedupKey ?? null,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .execute();
}

/** A page of entries, newest first; `before` is the id of the last entry of the previous page. */
export async function listTimeline(
  db: DbExecutor,
  customerId: number,
  page: { kind?: TimelineKind; before?: number; limit: number },
): Promise<{ items: TimelineEntry[]; nextBefore: number | null }> {
  let query = db
    .selectFrom('customer_timeline')
    .leftJoin('app_user', 'app_user.id', 'customer_timeline.actor_user_id')
    .select([
      'customer_timeline.id',
      'customer_timeline.kind',
      'customer_timeline.ref_type',
      'customer_timeline.ref_id',
      'customer_timeline.title',
      'customer_timeline.summary',
      'customer_timeline.occurred_at',
      'app_user.id as actor_id',
      'app_user.name as actor_name',
    ])
    .where('customer_timeline.customer_id', '=', customerId);
  if (page.kind) query = query.where('customer_timeline.kind', '=', page.kind);
  if (page.before) query = query.where('customer_timeline.id', '<', page.before);

  // Ordered by id: entries are appended as things happen, so id order is time order and pages never skip.
  const rows = await query.orderBy('customer_timeline.id', 'desc').limit(page.limit + 1).execute();
  const items = rows.slice(0, page.limit).map((row) => ({
    id: row.id,
    kind: timelineKindSchema.catch('note').parse(row.kind),
    refType: row.ref_type,
    refId: row.ref_id,
    title: row.title,
    summary: row.summary,
    actor: row.actor_id !== null && row.actor_name !== null ? { id: row.actor_id, name: row.actor_name } : null,
    occurredAt: row.occurred_at,
  }));
  return { items, nextBefore: rows.length > page.limit ? items[items.length - 1]!.id : null };
}
