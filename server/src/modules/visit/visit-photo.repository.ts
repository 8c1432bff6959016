import type { Insertable } from 'kysely';
import type { DbExecutor } from '../../db/database.js';
import type { VisitPhotoTable } from './visit.tables.js';

export async function listVisitPhotos(db: DbExecutor, visitId: number) {
  return db.selectFrom('visit_photo').selectAll().where('visit_id', '=', visitId).orderBy('id').execute();
}

export async function findVisitPhoto(db: DbExecutor, visitId: number, photoId: number) {
  return db.selectFrom('visit_photo').selectAll().where('visit_id', '=', visitId).where('id', '=', photoId).executeTakeFirst();
}

export async function findVisitPhotoBySha256(db: DbExecutor, visitId: number, sha256: string) {
  return db.selectFrom('visit_photo').selectAll().where('visit_id', '=', visitId).where('sha256', '=', sha256).executeTakeFirst();
}

export async function countVisitPhotos(db: DbExecutor, visitId: number): Promise<number> {
  const row = await db
    .selectFrom('visit_photo')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('visit_id', '=', visitId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Inserts the photo unless the same bytes were stored for this visit already (a retried upload). */
export async function insertVisitPhoto(db: DbExecutor, row: Insertable<VisitPhotoTable>): Promise<void> {
  await db
    .insertInto('visit_photo')
    .values(row)
    .onConflict((oc) => oc.columns(['visit_id', 'sha256']).doNothing())
    .execute();
}
