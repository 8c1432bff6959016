import multer from '@koa/multer';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { apiErrorSchema } from '@shared/api/error.js';
import { photoVariantSchema, visitPhotoParamsSchema, visitPhotoSchema } from '@shared/api/visit.js';
import { idParamsSchema } from '@shared/api/org.js';
import { PHOTO_MAX_BYTES, photoErrorMessages } from '@shared/visit-rules.js';
import { AppError, badRequest } from '../../http/app-error.js';
import type { AppState } from '../../http/context.js';
import { parseInput } from '../../http/validate.js';
import type { ModuleDeps } from '../module-deps.js';
import { createPhotoStorage } from './photo-storage.js';
import { acceptVisitPhoto, photoTooLarge, readVisitPhoto, type PhotoContext } from './visit-photo.service.js';

const takenAtSchema = z.iso.datetime({ offset: true }).nullable().catch(null);

/**
 * Photo upload (multipart field `photo`, or the raw image as the body) and download. They live outside
 * defineRoute because their bodies are files, so their OpenAPI entries are registered here by hand.
 */
export function registerVisitPhotoRoutes(deps: ModuleDeps): void {
  const storage = createPhotoStorage(deps.config.DATA_DIR);
  const photoContext = (ctx: Context & { state: AppState }): PhotoContext => ({ db: deps.db, now: deps.clock.now(), timeZone: deps.config.TIME_ZONE, storage, logger: ctx.state.log });
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: PHOTO_MAX_BYTES, files: 1, fields: 4, fieldSize: 200 } });

  deps.router.post('/api/visits/:id/photos', deps.authenticate, receivePhoto(upload.single('photo')), async (ctx) => {
    const params = parseInput(idParamsSchema, ctx.params, 'params');
    const bytes = ctx.file?.buffer ?? (ctx.state as UploadState).rawPhoto;
    if (!bytes) throw badRequest('photo_missing', photoErrorMessages.empty);

    const fields = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
    const takenAt = takenAtSchema.parse(fields.takenAt ?? ctx.get('x-photo-taken-at') ?? null);
    ctx.status = 201;
    ctx.body = await acceptVisitPhoto(photoContext(ctx), ctx.state.actor!, params.id, { bytes, takenAt });
  });

  deps.router.get('/api/visits/:id/photos/:photoId', deps.authenticate, async (ctx) => {
    const params = parseInput(visitPhotoParamsSchema, ctx.params, 'params');
    const variant = parseInput(z.object({ variant: photoVariantSchema.default('watermarked') }), ctx.query, 'query').variant;

    const photo = await readVisitPhoto(photoContext(ctx), ctx.state.actor!, params.id, params.photoId, variant);
    // Private: the photo is only for users who may see the visit, so no shared cache may keep it.
    ctx.set('Cache-Control', 'private, max-age=86400');
    ctx.set('ETag', photo.etag);
    if (ctx.get('if-none-match') === photo.etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = photo.mimeType;
    ctx.body = photo.bytes;
  });

  registerOpenApi(deps);
}

interface UploadState extends AppState {
  rawPhoto?: Buffer;
}

/** Accepts multipart (browsers, chat webviews) or a raw image body (scripts); maps size errors to 413. */
function receivePhoto(multipart: Middleware): Middleware<UploadState> {
  return async (ctx, next) => {
    if (ctx.is('multipart')) {
      try {
        await multipart(ctx, async () => undefined);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'LIMIT_FILE_SIZE') throw photoTooLarge();
        if (typeof code === 'string' && code.startsWith('LIMIT_')) throw badRequest('photo_upload_invalid', '一次只能上传一张照片，表单字段名为 photo');
        throw error;
      }
    } else if (ctx.is('image/*', 'application/octet-stream')) {
      ctx.state.rawPhoto = await readLimitedBody(ctx.req);
    } else {
      throw new AppError(415, 'unsupported_photo_upload', '请以 multipart/form-data（字段 photo）或图片原始内容上传照片');
    }
    await next();
  };
}

async function readLimitedBody(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > PHOTO_MAX_BYTES) throw photoTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function registerOpenApi(deps: ModuleDeps): void {
  const errorContent = { 'application/json': { schema: apiErrorSchema } };
  const binary = z.string().meta({ format: 'binary' });

  deps.registry.registerPath({
    method: 'post',
    path: '/api/visits/{id}/photos',
    summary: '上传拜访照片（JPEG/PNG/WebP，8 MB 以内；服务器加水印副本，原图保留）',
    tags: ['拜访'],
    security: [{ bearerAuth: [] }],
    request: {
      params: idParamsSchema,
      body: {
        content: {
          'multipart/form-data': { schema: z.object({ photo: binary, takenAt: z.string().optional() }) },
          'image/jpeg': { schema: binary },
        },
      },
    },
    responses: {
      201: { description: '已保存的照片（同一张照片重复上传时返回原记录）', content: { 'application/json': { schema: visitPhotoSchema } } },
      400: { description: '没有照片或分辨率过低', content: errorContent },
      403: { description: '不是本人的拜访', content: errorContent },
      404: { description: '拜访不存在或无权查看', content: errorContent },
      409: { description: '照片数量已达上限', content: errorContent },
      413: { description: '照片超过大小上限', content: errorContent },
      415: { description: '不支持的图片格式（含 HEIC）', content: errorContent },
    },
  });

  deps.registry.registerPath({
    method: 'get',
    path: '/api/visits/{id}/photos/{photoId}',
    summary: '查看拜访照片：水印副本（默认）、缩略图或原图',
    tags: ['拜访'],
    security: [{ bearerAuth: [] }],
    request: { params: visitPhotoParamsSchema, query: z.object({ variant: photoVariantSchema.optional() }) },
    responses: {
      200: { description: '图片', content: { 'image/jpeg': { schema: binary }, 'image/png': { schema: binary }, 'image/webp': { schema: binary } } },
      404: { description: '拜访或照片不存在，或无权查看', content: errorContent },
    },
  });
}
