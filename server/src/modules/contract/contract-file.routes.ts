import multer from '@koa/multer';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { apiErrorSchema } from '@shared/api/error.js';
import { attachmentParamsSchema, contractDetailSchema } from '@shared/api/contract.js';
import { idParamsSchema } from '@shared/api/org.js';
import { ATTACHMENT_MAX_BYTES, attachmentKindSchema } from '@shared/contract-rules.js';
import { AppError, badRequest } from '../../http/app-error.js';
import { defineRoute } from '../../http/define-route.js';
import { parseInput } from '../../http/validate.js';
import type { ModuleDeps } from '../module-deps.js';
import { readAttachment, removeAttachment, uploadAttachment } from './contract.attachments.js';
import { getContractDetail } from './contract.service.js';

const maxMegabytes = ATTACHMENT_MAX_BYTES / 1024 / 1024;

/**
 * Attachment upload (multipart: `file` and `kind`), download and removal. Upload and download carry files,
 * so they are registered on the router directly with their OpenAPI entries written here.
 */
export function registerContractFileRoutes(deps: ModuleDeps): void {
  // Chinese file names arrive as UTF-8 without a charset parameter; busboy's default would read them as
  // latin1. multer 2 accepts defParamCharset, but @types/koa__multer does not list it yet.
  const options = { storage: multer.memoryStorage(), defParamCharset: 'utf8', limits: { fileSize: ATTACHMENT_MAX_BYTES, files: 1, fields: 4, fieldSize: 200 } };
  const upload = multer(options);

  deps.router.post('/api/contracts/:id/attachments', deps.authenticate, receiveFile(upload.single('file')), async (ctx) => {
    const params = parseInput(idParamsSchema, ctx.params, 'params');
    const fields = (ctx.request as { body?: Record<string, unknown> }).body ?? {};
    const kind = parseInput(z.object({ kind: attachmentKindSchema }), { kind: fields.kind ?? 'contract_text' }).kind;
    const file = ctx.file;
    if (!file || file.size === 0) throw badRequest('attachment_missing', '请选择要上传的文件（表单字段名为 file）');

    const actor = ctx.state.actor!;
    await uploadAttachment({ db: deps.db, dataDir: deps.config.DATA_DIR, now: deps.clock.now() }, actor, params.id, { kind, fileName: file.originalname, bytes: file.buffer });
    ctx.status = 201;
    ctx.body = await getContractDetail(deps.db, actor, params.id);
  });

  deps.router.get('/api/contracts/:id/attachments/:attachmentId/file', deps.authenticate, async (ctx) => {
    const params = parseInput(attachmentParamsSchema, ctx.params, 'params');
    const file = await readAttachment(deps.db, deps.config.DATA_DIR, ctx.state.actor!, params.id, params.attachmentId);
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.set('ETag', `"${file.sha256}"`);
    ctx.set('X-Content-SHA256', file.sha256);
    ctx.set('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
    ctx.type = file.mimeType;
    ctx.body = file.bytes;
  });

  defineRoute(deps, {
    method: 'delete',
    path: '/contracts/:id/attachments/:attachmentId',
    summary: '删除合同文件（草稿，或审批通过后新增的文件）',
    tag: '合同',
    params: attachmentParamsSchema,
    response: contractDetailSchema,
    handler: async ({ params, actor }) => {
      await removeAttachment(deps.db, actor, params.id, params.attachmentId, deps.clock.now());
      return getContractDetail(deps.db, actor, params.id);
    },
  });

  registerOpenApi(deps);
}

/** Runs multer and maps its limit errors to clear messages. Anything but multipart is rejected with 415. */
function receiveFile(multipart: Middleware): Middleware {
  return async (ctx, next) => {
    if (!ctx.is('multipart')) throw new AppError(415, 'multipart_required', '请以 multipart/form-data 上传文件（字段 file，类型字段 kind）');
    try {
      await multipart(ctx, async () => undefined);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE') throw new AppError(413, 'attachment_too_large', `文件超过 ${maxMegabytes} MB，请压缩或拆分后再上传`);
      if (typeof code === 'string' && code.startsWith('LIMIT_')) throw badRequest('attachment_upload_invalid', '一次只能上传一个文件，表单字段名为 file');
      throw error;
    }
    await next();
  };
}

function registerOpenApi(deps: ModuleDeps): void {
  const errorContent = { 'application/json': { schema: apiErrorSchema } };
  const binary = z.string().meta({ format: 'binary' });

  deps.registry.registerPath({
    method: 'post',
    path: '/api/contracts/{id}/attachments',
    summary: `上传合同文件（PDF、Word、JPG/PNG，${maxMegabytes} MB 以内）`,
    tags: ['合同'],
    security: [{ bearerAuth: [] }],
    request: {
      params: idParamsSchema,
      body: { content: { 'multipart/form-data': { schema: z.object({ file: binary, kind: attachmentKindSchema }) } } },
    },
    responses: {
      201: { description: '上传后的合同详情', content: { 'application/json': { schema: contractDetailSchema } } },
      400: { description: '没有文件', content: errorContent },
      403: { description: '不是合同负责人', content: errorContent },
      404: { description: '合同不存在或无权查看', content: errorContent },
      409: { description: '当前状态不能上传此类文件', content: errorContent },
      413: { description: '文件过大', content: errorContent },
      415: { description: '文件格式不支持', content: errorContent },
    },
  });

  deps.registry.registerPath({
    method: 'get',
    path: '/api/contracts/{id}/attachments/{attachmentId}/file',
    summary: '下载合同文件（响应头 X-Content-SHA256 为文件摘要）',
    tags: ['合同'],
    security: [{ bearerAuth: [] }],
    request: { params: attachmentParamsSchema },
    responses: {
      200: { description: '文件内容', content: { 'application/octet-stream': { schema: binary } } },
      404: { description: '合同或文件不存在，或无权查看', content: errorContent },
    },
  });
}
