import { PHOTO_MAX_BYTES, PHOTO_UPLOAD_MAX_EDGE_PX, photoErrorMessages } from '@shared/visit-rules';

/**
 * Shrinks a photo on the phone before it is queued: at most 1600 px on the long edge, re-encoded as
 * JPEG. Re-encoding also turns an iPhone HEIC into JPEG wherever the webview can decode HEIC (iOS can),
 * and drops EXIF, including the GPS position, which the server must not receive twice.
 */
export class PhotoPreparationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PhotoPreparationError';
  }
}

const JPEG_QUALITY = 0.82;
const THUMBNAIL_EDGE_PX = 160;

export interface PreparedPhoto {
  blob: Blob;
  /** A small data URL for showing the photo in the draft before it is uploaded. */
  thumbnail: string;
  width: number;
  height: number;
}

export async function preparePhoto(file: File): Promise<PreparedPhoto> {
  const image = await decodeImage(file);
  const scale = Math.min(1, PHOTO_UPLOAD_MAX_EDGE_PX / Math.max(image.width, image.height));
  const width = Math.round(image.width * scale);
  const height = Math.round(image.height * scale);

  const blob = await canvasBlob(drawScaled(image, width, height), 'image/jpeg', JPEG_QUALITY);
  if (blob.size > PHOTO_MAX_BYTES) throw new PhotoPreparationError(photoErrorMessages.tooLarge);

  const thumbScale = THUMBNAIL_EDGE_PX / Math.max(width, height);
  const thumbnail = drawScaled(image, Math.round(width * thumbScale), Math.round(height * thumbScale)).toDataURL('image/jpeg', 0.6);
  if ('close' in image) image.close();
  return { blob, thumbnail, width, height };
}

function isHeic(file: File): boolean {
  return /image\/hei[cf]/i.test(file.type) || /\.hei[cf]$/i.test(file.name);
}

/** Decodes with EXIF orientation applied, so a portrait photo stays upright after the canvas. */
async function decodeImage(file: File): Promise<ImageBitmap | HTMLImageElement> {
  try {
    if (typeof createImageBitmap === 'function') return await createImageBitmap(file, { imageOrientation: 'from-image' });
    return await loadImageElement(file);
  } catch {
    // The webview could not read the file: HEIC outside iOS, or not an image at all.
    throw new PhotoPreparationError(isHeic(file) ? photoErrorMessages.heic : photoErrorMessages.unsupportedType);
  }
}

function loadImageElement(file: File): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(file);
  return new Promise<HTMLImageElement>((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('image decode failed'));
    image.src = url;
  }).finally(() => URL.revokeObjectURL(url));
}

function drawScaled(image: CanvasImageSource, width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new PhotoPreparationError('手机无法处理这张照片，请换一张或重新拍摄');
  // JPEG has no transparency: a PNG screenshot gets a white background instead of black.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(image, 0, 0, width, height);
  return canvas;
}

function canvasBlob(canvas: HTMLCanvasElement, type: string, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new PhotoPreparationError('照片压缩失败，请重新拍摄'))), type, quality);
  });
}
