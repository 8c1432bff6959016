import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { attachmentMimeTypes } from '@shared/contract-rules.js';
import { AppError } from '../../http/app-error.js';
import { sha256Hex } from '../../lib/hash.js';

type AttachmentMimeType = keyof typeof attachmentMimeTypes;

/**
 * Contract files under DATA_DIR/contract-files, named by the sha256 of their bytes: the same file uploaded
 * twice is stored once, and a stored file can always be checked against the hash that was approved.
 */
export function contractFilePath(dataDir: string, sha256: string): string {
  return path.resolve(dataDir, 'contract-files', sha256.slice(0, 2), sha256);
}

/**
 * The file's real type from its first bytes; the browser's Content-Type and the file name are only hints.
 * Word .docx files are ZIP archives, so a ZIP counts as .docx only when its name says so.
 */
export function detectAttachmentType(bytes: Buffer, fileName: string): AttachmentMimeType | undefined {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1) && /\.doc$/i.test(fileName)) return 'application/msword';
  if (starts(0x50, 0x4b, 0x03, 0x04) && /\.docx$/i.test(fileName)) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  return undefined;
}

export function unsupportedAttachment(fileName: string): AppError {
  return new AppError(415, 'attachment_type_unsupported', `文件“${fileName}”的格式不支持：合同附件只能是 PDF、Word（.doc/.docx）或 JPG/PNG 图片`);
}

/** Stores the bytes under their hash unless already there, through a temporary file and a rename. */
export async function storeContractFile(dataDir: string, bytes: Buffer): Promise<string> {
  const sha256 = sha256Hex(bytes);
  const file = contractFilePath(dataDir, sha256);
  try {
    await fs.access(file);
    return sha256;
  } catch {
    // Not stored yet: write it below.
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  await fs.writeFile(temporary, bytes);
  await fs.rename(temporary, file);
  return sha256;
}

/** Reads a stored file and checks it still matches its hash, so a file changed on disk is never served as approved. */
export async function readContractFile(dataDir: string, sha256: string): Promise<Buffer> {
  const bytes = await fs.readFile(contractFilePath(dataDir, sha256));
  if (sha256Hex(bytes) !== sha256) {
    throw new AppError(500, 'attachment_corrupted', '合同文件已损坏（内容与登记的摘要不一致），请联系系统管理员从备份恢复');
  }
  return bytes;
}

/** A file name safe for Content-Disposition: path parts and control characters removed. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? 'file';
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return cleaned.slice(0, 120) || 'file';
}
