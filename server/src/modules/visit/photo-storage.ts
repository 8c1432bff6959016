import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Files of visit photos under DATA_DIR/photos. Originals are named by the sha256 of their bytes, so the
 * same photo uploaded twice is stored once and a stored original can be checked against its name.
 * Derived copies (watermarked, thumbnail) carry the visit id, because the watermark shows that visit's
 * check-in; they can always be rebuilt from the original.
 */
export interface PhotoStorage {
  originalPath(sha256: string, extension: string): string;
  derivedPath(visitId: number, sha256: string, variant: 'watermarked' | 'thumbnail'): string;
}

export function createPhotoStorage(dataDir: string): PhotoStorage {
  const root = path.resolve(dataDir, 'photos');
  return {
    // Two-character fan-out keeps folders small on file systems that slow down with many entries.
    originalPath: (sha256, extension) => path.join(root, 'original', sha256.slice(0, 2), `${sha256}.${extension}`),
    derivedPath: (visitId, sha256, variant) => path.join(root, variant, String(visitId), `${sha256}.jpg`),
  };
}

/** Writes through a temporary file and a rename, so a reader never sees half a photo. */
export async function writeFileAtomically(file: string, bytes: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  await fs.writeFile(temporary, bytes);
  await fs.rename(temporary, file);
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    // Missing or unreadable: either way the caller (re)creates it.
    return false;
  }
}
