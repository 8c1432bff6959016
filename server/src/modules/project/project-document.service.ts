import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProjectDocument } from '@shared/api/project.js';
import { documentKindSchema } from '@shared/api/project.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import { badRequest, forbidden, notFound } from '../../http/app-error.js';
import { sha256Hex } from '../../lib/hash.js';
import { loadProjectAccess, type ServiceMoment } from './project.context.js';
import * as documentRepository from './project-document.repository.js';
import { touchProject } from './project.repository.js';

/** Files a project may keep: office documents, PDFs, images and archives of bid packages. */
const allowedExtensions: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  zip: 'application/zip',
};

export const maxDocumentBytes = 20 * 1024 * 1024;

export function documentsFolder(dataDir: string): string {
  return path.join(dataDir, 'project-documents');
}

/** Writes the file under its content hash (once: the same bytes uploaded twice share one file). */
export async function storeDocumentFile(dataDir: string, content: Buffer): Promise<string> {
  const sha256 = sha256Hex(content);
  const folder = documentsFolder(dataDir);
  await fs.mkdir(folder, { recursive: true });
  const target = path.join(folder, sha256);
  try {
    await fs.access(target);
  } catch {
    const temporary = `${target}.${process.pid}.${Date.now()}.part`;
    await fs.writeFile(temporary, content);
    await fs.rename(temporary, target);
  }
  return sha256;
}

export function contentTypeFor(fileName: string): string | undefined {
  const extension = path.extname(fileName).slice(1).toLowerCase();
  return allowedExtensions[extension];
}

export async function listProjectDocuments(db: DbExecutor, actor: Actor, projectId: number): Promise<ProjectDocument[]> {
  await loadProjectAccess(db, actor, projectId);
  const rows = await documentRepository.listDocuments(db, projectId);
  return rows.map(toDocument);
}

/** Stores an uploaded file and records it; type is checked by extension, size by the upload limit. */
export async function uploadProjectDocument(
  db: Db,
  actor: Actor,
  projectId: number,
  file: { fileName: string; content: Buffer; kind: string; note: string },
  dataDir: string,
  moment: ServiceMoment,
): Promise<ProjectDocument> {
  await loadProjectAccess(db, actor, projectId, 'contribute');
  const kind = documentKindSchema.safeParse(file.kind);
  if (!kind.success) throw badRequest('document_kind_invalid', `文档类型「${file.kind}」不正确：应为 bid_file、book_list、holdings、contract 或 other`);
  const contentType = contentTypeFor(file.fileName);
  if (!contentType) throw badRequest('document_type_not_allowed', `不支持「${file.fileName}」这种文件：请上传 PDF、Word、Excel、JPG、PNG 或 ZIP`);
  if (file.content.length === 0) throw badRequest('document_empty', `「${file.fileName}」是空文件，请重新选择`);

  const documentId = await recordDocument(db, { projectId, kind: kind.data, fileName: file.fileName, content: file.content, note: file.note, uploadedBy: actor.id }, dataDir, moment);
  const row = await documentRepository.findDocument(db, projectId, documentId);
  return toDocument(row!);
}

/** Saves the file and inserts the row; imports call it to keep the book list or holdings file they read. */
export async function recordDocument(
  db: DbExecutor,
  input: { projectId: number; kind: string; fileName: string; content: Buffer; note: string; uploadedBy: number },
  dataDir: string,
  moment: ServiceMoment,
): Promise<number> {
  const sha256 = await storeDocumentFile(dataDir, input.content);
  const id = await documentRepository.insertDocument(db, {
    projectId: input.projectId,
    kind: input.kind,
    fileName: input.fileName,
    contentType: contentTypeFor(input.fileName) ?? 'application/octet-stream',
    sizeBytes: input.content.length,
    sha256,
    note: input.note,
    uploadedBy: input.uploadedBy,
    now: moment.now.toISOString(),
  });
  await touchProject(db, input.projectId, moment.now.toISOString());
  return id;
}

/** Reads the stored file of a document the actor may see. */
export async function openProjectDocument(db: DbExecutor, actor: Actor, projectId: number, documentId: number, dataDir: string) {
  await loadProjectAccess(db, actor, projectId);
  const row = await documentRepository.findDocument(db, projectId, documentId);
  if (!row) throw notFound('文档');
  const filePath = path.join(documentsFolder(dataDir), row.sha256);
  try {
    const content = await fs.readFile(filePath);
    return { document: toDocument(row), content };
  } catch {
    throw notFound('文档文件');
  }
}

/** Deletes the record; the file stays because another document may share its content hash. */
export async function removeProjectDocument(db: DbExecutor, actor: Actor, projectId: number, documentId: number): Promise<void> {
  const access = await loadProjectAccess(db, actor, projectId, 'contribute');
  const row = await documentRepository.findDocument(db, projectId, documentId);
  if (!row) throw notFound('文档');
  if (!access.canManage && row.uploaded_by !== actor.id) throw forbidden('删除此文档（仅上传人或项目主管可以）');
  await documentRepository.deleteDocument(db, documentId);
}

function toDocument(row: documentRepository.DocumentRow): ProjectDocument {
  return {
    id: row.id,
    kind: documentKindSchema.parse(row.kind),
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    note: row.note,
    uploadedBy: { id: row.uploaded_by, name: row.uploader_name },
    uploadedAt: row.uploaded_at,
  };
}
