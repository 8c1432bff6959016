import fs from 'node:fs/promises';
import type { Logger } from 'pino';
import sharp, { type Metadata } from 'sharp';
import type { VisitPhoto } from '@shared/api/visit.js';
import { PHOTO_MAX_BYTES, PHOTOS_PER_VISIT_MAX, photoErrorMessages, type PhotoMimeType } from '@shared/visit-rules.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { AppError, conflict, notFound } from '../../http/app-error.js';
import { sha256Hex } from '../../lib/hash.js';
import { fileExists, writeFileAtomically, type PhotoStorage } from './photo-storage.js';
import { getOwnVisitRowOrThrow, getVisibleVisitRowOrThrow } from './visit-access.js';
import { countVisitPhotos, findVisitPhoto, findVisitPhotoBySha256, insertVisitPhoto } from './visit-photo.repository.js';
import { toVisitPhoto } from './visit-query.service.js';
import type { VisitRow } from './visit.repository.js';
import { hasCjkFont, MAX_INPUT_PIXELS, renderWatermarkedCopies } from './watermark.js';

export interface PhotoContext {
  db: Db;
  now: Date;
  timeZone: string;
  storage: PhotoStorage;
  logger: Logger;
}

/** A photo shorter than this on its short edge proves nothing about a shelf. */
const MIN_EDGE_PX = 160;

const extensions: Record<PhotoMimeType, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
const formats: Record<string, PhotoMimeType> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

export const photoTooLarge = () => new AppError(413, 'photo_too_large', photoErrorMessages.tooLarge);

/**
 * Reads the real type from the bytes (never from the file name or the client's content type) and the
 * size. HEIC, the iPhone default, is named separately because its fix differs: the phone converts it.
 */
export async function inspectPhoto(bytes: Buffer): Promise<{ mimeType: PhotoMimeType; width: number; height: number }> {
  if (isHeic(bytes)) throw new AppError(415, 'heic_not_supported', photoErrorMessages.heic);

  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch {
    // Not an image sharp can read at all (a PDF, a truncated upload…): rejected like a wrong type.
    throw new AppError(415, 'unsupported_photo_type', photoErrorMessages.unsupportedType);
  }

  if (metadata.format === 'heif' && metadata.compression === 'hevc') throw new AppError(415, 'heic_not_supported', photoErrorMessages.heic);
  const mimeType = formats[metadata.format ?? ''];
  if (!mimeType) throw new AppError(415, 'unsupported_photo_type', photoErrorMessages.unsupportedType);

  const width = metadata.autoOrient?.width ?? metadata.width ?? 0;
  const height = metadata.autoOrient?.height ?? metadata.height ?? 0;
  if (Math.min(width, height) < MIN_EDGE_PX) {
    throw new AppError(400, 'photo_too_small', `照片分辨率太低（${width}×${height}），短边至少 ${MIN_EDGE_PX} 像素，请重新拍摄`);
  }
  return { mimeType, width, height };
}

const heicBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis']);

/** Tells an ISO-BMFF file with an HEVC major brand from its header, which works even where no decoder exists. */
function isHeic(bytes: Buffer): boolean {
  return bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp' && heicBrands.has(bytes.toString('latin1', 8, 12));
}

/**
 * Stores a photo of the rep's own visit: the original by content hash, plus the watermarked copy and its
 * thumbnail. Sending the same bytes again returns the photo stored the first time.
 */
export async function acceptVisitPhoto(context: PhotoContext, actor: Actor, visitId: number, upload: { bytes: Buffer; takenAt: string | null }): Promise<VisitPhoto> {
  const { db } = context;
  const visit = await getOwnVisitRowOrThrow(db, actor, visitId, '上传拜访照片');

  if (upload.bytes.length === 0) throw new AppError(400, 'photo_missing', photoErrorMessages.empty);
  if (upload.bytes.length > PHOTO_MAX_BYTES) throw photoTooLarge();
  const sha256 = sha256Hex(upload.bytes);

  const existing = await findVisitPhotoBySha256(db, visit.id, sha256);
  if (existing) return toVisitPhoto(visit.id, existing);
  if ((await countVisitPhotos(db, visit.id)) >= PHOTOS_PER_VISIT_MAX) throw conflict('too_many_photos', photoErrorMessages.tooMany);

  const photo = await inspectPhoto(upload.bytes);
  const originalFile = context.storage.originalPath(sha256, extensions[photo.mimeType]);
  if (!(await fileExists(originalFile))) await writeFileAtomically(originalFile, upload.bytes);
  await writeDerivedCopies(context, visit, sha256, upload.bytes);

  await insertVisitPhoto(db, {
    visit_id: visit.id,
    sha256,
    mime_type: photo.mimeType,
    width: photo.width,
    height: photo.height,
    size_bytes: upload.bytes.length,
    taken_at: upload.takenAt,
    uploaded_at: context.now.toISOString(),
    uploaded_by: actor.id,
  });
  const stored = await findVisitPhotoBySha256(db, visit.id, sha256);
  if (!stored) throw new Error(`visit photo ${sha256} of visit ${visit.id} vanished after insert`);

  context.logger.info({ visitId: visit.id, photoId: stored.id, sha256, bytes: upload.bytes.length }, 'visit photo stored');
  return toVisitPhoto(visit.id, stored);
}

async function writeDerivedCopies(context: PhotoContext, visit: VisitRow, sha256: string, original: Buffer): Promise<{ watermarked: Buffer; thumbnail: Buffer }> {
  const cjk = await hasCjkFont();
  if (!cjk) context.logger.warn('no CJK font found (fc-list :lang=zh); photo watermarks fall back to pinyin. Install fonts-noto-cjk.');

  const copies = await renderWatermarkedCopies(
    original,
    {
      checkInAt: visit.check_in_at,
      timeZone: context.timeZone,
      customerName: visit.customer_name,
      repName: visit.owner_name,
      distanceM: visit.distance_m,
      locationStatus: visit.location_status,
      delayedUpload: visit.delayed_upload === 1,
    },
    cjk,
  );
  await writeFileAtomically(context.storage.derivedPath(visit.id, sha256, 'watermarked'), copies.watermarked);
  await writeFileAtomically(context.storage.derivedPath(visit.id, sha256, 'thumbnail'), copies.thumbnail);
  return copies;
}

export type PhotoVariant = 'watermarked' | 'thumbnail' | 'original';

/**
 * Reads a photo for someone who may see the visit. A derived copy lost from disk (a restore of
 * originals only) is rebuilt from the original on first request.
 */
export async function readVisitPhoto(context: PhotoContext, actor: Actor, visitId: number, photoId: number, variant: PhotoVariant): Promise<{ bytes: Buffer; mimeType: string; etag: string }> {
  const visit = await getVisibleVisitRowOrThrow(context.db, actor, visitId);
  const photo = await findVisitPhoto(context.db, visit.id, photoId);
  if (!photo) throw notFound('照片');

  const etag = `"${photo.sha256.slice(0, 32)}-${variant}"`;
  const originalFile = context.storage.originalPath(photo.sha256, extensions[photo.mime_type]);
  if (variant === 'original') return { bytes: await readStoredFile(context.logger, originalFile), mimeType: photo.mime_type, etag };

  const derivedFile = context.storage.derivedPath(visit.id, photo.sha256, variant);
  if (await fileExists(derivedFile)) return { bytes: await fs.readFile(derivedFile), mimeType: 'image/jpeg', etag };

  context.logger.warn({ visitId: visit.id, photoId: photo.id, variant }, 'derived photo missing; rebuilding from the original');
  const copies = await writeDerivedCopies(context, visit, photo.sha256, await readStoredFile(context.logger, originalFile));
  return { bytes: copies[variant], mimeType: 'image/jpeg', etag };
}

async function readStoredFile(logger: Logger, file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    // The row exists but its file does not (a partial restore); the path goes to the log, not the user.
    logger.error({ err: error, file }, 'stored visit photo unreadable');
    throw new AppError(410, 'photo_file_missing', '照片文件已丢失，请联系管理员从备份恢复');
  }
}
