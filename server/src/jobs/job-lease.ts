import type { DbExecutor } from '../db/database.js';

/**
 * Takes or renews the named lease for `holder` until `ttlMs` from now, returning whether this holder has it.
 * The lease row, not a process flag, decides who runs a job, so several server instances (or a manual
 * `npm run job` beside the server) never run the same job at once. An expired lease can be taken over,
 * which is what lets a run that crashed mid-way be picked up again.
 */
export async function acquireLease(db: DbExecutor, name: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  await db
    .insertInto('job_lease')
    .values({ name, holder, expires_at: expiresAt })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ holder, expires_at: expiresAt }).where((eb) => eb.or([eb('job_lease.holder', '=', holder), eb('job_lease.expires_at', '<=', now.toISOString())])),
    )
    .execute();
  const row = await db.selectFrom('job_lease').select('holder').where('name', '=', name).executeTakeFirst();
  return row?.holder === holder;
}

export async function releaseLease(db: DbExecutor, name: string, holder: string): Promise<void> {
  await db.deleteFrom('job_lease').where('name', '=', name).where('holder', '=', holder).execute();
}
