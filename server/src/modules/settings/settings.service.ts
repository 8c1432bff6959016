import type { z } from 'zod';
import type { DbExecutor } from '../../db/database.js';

/**
 * Tenant settings an admin can change at run time (claim limits, pool return days, overdue thresholds…),
 * stored as JSON in the setting table. Each caller owns its key and schema and passes the default, so a
 * missing or stale value never breaks a request.
 */
export async function getSetting<T extends z.ZodType>(db: DbExecutor, key: string, schema: T, fallback: z.infer<T>): Promise<z.infer<T>> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) return fallback;
  const parsed = schema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : fallback;
}

export async function putSetting(db: DbExecutor, key: string, value: unknown, updatedBy: number | null, now: Date): Promise<void> {
  const text = JSON.stringify(value);
  await db
    .insertInto('setting')
    .values({ key, value: text, updated_by: updatedBy, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: text, updated_by: updatedBy, updated_at: now.toISOString() }))
    .execute();
}
