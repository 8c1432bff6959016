import type { DbExecutor } from '../../db/database.js';
import type { LinkRefType } from '@shared/api/project.js';

/** Documents uploaded to projects and the records of other modules linked to them. */

export async function listDocuments(db: DbExecutor, projectId: number) {
  return db
    .selectFrom('project_document')
    .innerJoin('app_user', 'app_user.id', 'project_document.uploaded_by')
    .select([
      'project_document.id',
      'project_document.kind',
      'project_document.file_name',
      'project_document.content_type',
      'project_document.size_bytes',
      'project_document.sha256',
      'project_document.note',
      'project_document.uploaded_by',
      'project_document.uploaded_at',
      'app_user.name as uploader_name',
    ])
    .where('project_document.project_id', '=', projectId)
    .orderBy('project_document.uploaded_at', 'desc')
    .orderBy('project_document.id', 'desc')
    .execute();
}

export type DocumentRow = Awaited<ReturnType<typeof listDocuments>>[number];

export async function findDocument(db: DbExecutor, projectId: number, documentId: number): Promise<DocumentRow | undefined> {
  const rows = await listDocuments(db, projectId);
  return rows.find((row) => row.id === documentId);
}

/** A document of the project with these exact bytes, so a re-imported file is kept once. */
export async function findDocumentByContent(db: DbExecutor, projectId: number, sha256: string) {
  return db.selectFrom('project_document').select('id').where('project_id', '=', projectId).where('sha256', '=', sha256).executeTakeFirst();
}

export async function insertDocument(
  db: DbExecutor,
  values: { projectId: number; kind: string; fileName: string; contentType: string; sizeBytes: number; sha256: string; note: string; uploadedBy: number; now: string },
): Promise<number> {
  const row = await db
    .insertInto('project_document')
    .values({
      project_id: values.projectId,
      kind: values.kind,
      file_name: values.fileName,
      content_type: values.contentType,
      size_bytes: values.sizeBytes,
      sha256: values.sha256,
      note: values.note,
      uploaded_by: values.uploadedBy,
      uploaded_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function deleteDocument(db: DbExecutor, documentId: number): Promise<void> {
  await db.deleteFrom('project_document').where('id', '=', documentId).execute();
}

export async function listLinks(db: DbExecutor, projectId: number) {
  return db
    .selectFrom('project_link')
    .leftJoin('app_user', 'app_user.id', 'project_link.linked_by')
    .select([
      'project_link.id',
      'project_link.ref_type',
      'project_link.ref_id',
      'project_link.title',
      'project_link.occurred_at',
      'project_link.linked_by',
      'app_user.name as linker_name',
    ])
    .where('project_link.project_id', '=', projectId)
    .orderBy('project_link.occurred_at', 'desc')
    .orderBy('project_link.id', 'desc')
    .execute();
}

/** Links a record; linking the same record twice keeps the first link. Returns false when it was linked before. */
export async function insertLink(
  db: DbExecutor,
  values: { projectId: number; refType: LinkRefType; refId: number; title: string; occurredAt: string; linkedBy: number | null; now: string },
): Promise<boolean> {
  const result = await db
    .insertInto('project_link')
    .values({ project_id: values.projectId, ref_type: values.refType, ref_id: values.refId, title: values.title, occurred_at: values.occurredAt, linked_by: values.linkedBy, linked_at: values.now })
    .onConflict((oc) => oc.columns(['project_id', 'ref_type', 'ref_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findLink(db: DbExecutor, projectId: number, linkId: number) {
  return db.selectFrom('project_link').selectAll().where('project_id', '=', projectId).where('id', '=', linkId).executeTakeFirst();
}

/** Links of one record to any project, with each project's owner and status for access checks. */
export async function listLinksOfRecord(db: DbExecutor, refType: LinkRefType, refId: number) {
  return db
    .selectFrom('project_link')
    .innerJoin('project', 'project.id', 'project_link.project_id')
    .select(['project_link.id', 'project_link.project_id', 'project_link.linked_by', 'project.owner_id'])
    .where('project_link.ref_type', '=', refType)
    .where('project_link.ref_id', '=', refId)
    .execute();
}

export async function deleteLink(db: DbExecutor, projectId: number, linkId: number): Promise<number> {
  const result = await db.deleteFrom('project_link').where('project_id', '=', projectId).where('id', '=', linkId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function countProjectContents(db: DbExecutor, projectId: number): Promise<{ tasks: number; documents: number; links: number }> {
  const [tasks, documents, links] = await Promise.all([
    db.selectFrom('project_task').select((eb) => eb.fn.countAll<number>().as('total')).where('project_id', '=', projectId).executeTakeFirstOrThrow(),
    db.selectFrom('project_document').select((eb) => eb.fn.countAll<number>().as('total')).where('project_id', '=', projectId).executeTakeFirstOrThrow(),
    db.selectFrom('project_link').select((eb) => eb.fn.countAll<number>().as('total')).where('project_id', '=', projectId).executeTakeFirstOrThrow(),
  ]);
  return { tasks: Number(tasks.total), documents: Number(documents.total), links: Number(links.total) };
}

/** Projects a record is linked to, for other modules that show "this contract belongs to project X". */
export async function listProjectsLinkedTo(db: DbExecutor, refType: LinkRefType, refId: number) {
  return db
    .selectFrom('project_link')
    .innerJoin('project', 'project.id', 'project_link.project_id')
    .select(['project.id', 'project.number', 'project.name', 'project.owner_id'])
    .where('project_link.ref_type', '=', refType)
    .where('project_link.ref_id', '=', refId)
    .execute();
}
