import { z } from 'zod';
import {
  archiveContractRequestSchema,
  contractDetailSchema,
  contractFromQuoteRequestSchema,
  contractInputSchema,
  contractListQuerySchema,
  contractListSchema,
  sealContractRequestSchema,
  submitContractRequestSchema,
  updateContractRequestSchema,
  voidContractRequestSchema,
} from '@shared/api/contract.js';
import { idParamsSchema } from '@shared/api/org.js';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { registerContractFileRoutes } from './contract-file.routes.js';
import { archiveContract, sealContract, submitContract, voidContract, withdrawContractReview } from './contract.lifecycle.js';
import { createContract, createContractFromQuote, getContractDetail, listContracts, updateContract, type ContractClock } from './contract.service.js';

export function registerContractRoutes(deps: ModuleDeps): void {
  const clock = (): ContractClock => ({ now: deps.clock.now(), timeZone: deps.config.TIME_ZONE });
  const detail = (actor: Parameters<typeof getContractDetail>[1], contractId: number) => getContractDetail(deps.db, actor, contractId);

  defineRoute(deps, {
    method: 'get',
    path: '/contracts',
    summary: '合同列表（按数据范围，最新在前）',
    tag: '合同',
    query: contractListQuerySchema,
    response: contractListSchema,
    handler: ({ query, actor }) => listContracts(deps.db, actor, query),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/contracts',
    summary: '新建合同草稿（明细按折扣规则计价，回款计划须与合同金额一致）',
    tag: '合同',
    body: contractInputSchema,
    response: contractDetailSchema,
    idempotency: 'optional',
    handler: async ({ body, actor }) => detail(actor, await createContract(deps.db, actor, body, clock())),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/contracts/from-quote',
    summary: '由报价单生成合同草稿',
    tag: '合同',
    body: contractFromQuoteRequestSchema,
    response: contractDetailSchema,
    idempotency: 'optional',
    handler: async ({ body, actor }) => detail(actor, await createContractFromQuote(deps.db, actor, body, clock())),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/contracts/:id',
    summary: '合同详情：明细、回款计划、文件、审批与用印归档状态',
    tag: '合同',
    params: idParamsSchema,
    response: contractDetailSchema,
    handler: ({ params, actor }) => detail(actor, params.id),
  });

  defineRoute(deps, {
    method: 'put',
    path: '/contracts/:id',
    summary: '修改合同草稿（只有草稿可改）',
    tag: '合同',
    params: idParamsSchema,
    body: updateContractRequestSchema,
    response: contractDetailSchema,
    handler: async ({ params, body, actor }) => {
      await updateContract(deps.db, actor, params.id, body, clock());
      return detail(actor, params.id);
    },
  });

  const lifecycle = <B extends z.ZodType>(path: string, summary: string, body: B, run: (actor: Parameters<typeof getContractDetail>[1], id: number, input: z.infer<B>) => Promise<void>, roles?: ('seal_keeper' | 'admin')[]) =>
    defineRoute(deps, {
      method: 'post',
      path: `/contracts/:id/${path}`,
      summary,
      tag: '合同',
      params: idParamsSchema,
      body,
      response: contractDetailSchema,
      status: 200,
      roles,
      idempotency: 'optional',
      handler: async ({ params, body: input, actor }) => {
        await run(actor, params.id, input);
        return detail(actor, params.id);
      },
    });

  lifecycle('submit', '提交合同审批', submitContractRequestSchema, (actor, id, input) => submitContract(deps.db, actor, id, input, deps.clock.now()));
  lifecycle('withdraw', '撤回进行中的合同审批（提交人）', z.object({}), (actor, id) => withdrawContractReview(deps.db, actor, id, deps.clock.now()));
  lifecycle('seal', '用印：核对审批通过版本的内容摘要后登记印章（印章管理员）', sealContractRequestSchema, (actor, id, input) => sealContract(deps.db, actor, id, input, deps.clock.now()), ['seal_keeper']);
  lifecycle('archive', '归档已用印的合同（印章管理员、系统管理员）', archiveContractRequestSchema, (actor, id, input) => archiveContract(deps.db, actor, id, input, deps.clock.now()), ['seal_keeper', 'admin']);
  lifecycle('void', '作废合同：草稿直接作废，审批通过后的合同需作废审批', voidContractRequestSchema, (actor, id, input) => voidContract(deps.db, actor, id, input, deps.clock.now()));

  registerContractFileRoutes(deps);
}
