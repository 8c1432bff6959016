import { deleteAgreementRequestSchema, discountAgreementInputSchema, discountAgreementsResponseSchema } from '@shared/api/discount-agreement.js';
import { idParamsSchema } from '@shared/api/org.js';
import { z } from 'zod';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { createDiscountAgreement, listDiscountAgreements, removeDiscountAgreement, updateDiscountAgreement } from './discount-agreement.service.js';

const tag = '折扣协议';
const agreementParamsSchema = z.object({ id: z.coerce.number().int().positive(), agreementId: z.coerce.number().int().positive() });

export function registerDiscountAgreementRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/customers/:id/discount-agreements',
    summary: '客户折扣协议及变更记录',
    tag,
    params: idParamsSchema,
    response: discountAgreementsResponseSchema,
    handler: ({ actor, params }) => listDiscountAgreements(deps.db, actor, params.id, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/customers/:id/discount-agreements',
    summary: '新增折扣协议（主管；需填写原因）',
    tag,
    params: idParamsSchema,
    body: discountAgreementInputSchema,
    response: discountAgreementsResponseSchema,
    handler: ({ actor, params, body }) => createDiscountAgreement(deps.db, actor, params.id, body, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'put',
    path: '/customers/:id/discount-agreements/:agreementId',
    summary: '修改折扣协议（主管；需填写原因）',
    tag,
    params: agreementParamsSchema,
    body: discountAgreementInputSchema,
    response: discountAgreementsResponseSchema,
    handler: ({ actor, params, body }) => updateDiscountAgreement(deps.db, actor, params.id, params.agreementId, body, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'delete',
    path: '/customers/:id/discount-agreements/:agreementId',
    summary: '删除折扣协议（主管；原因放在查询参数 reason）',
    tag,
    params: agreementParamsSchema,
    query: deleteAgreementRequestSchema,
    response: discountAgreementsResponseSchema,
    handler: ({ actor, params, query }) => removeDiscountAgreement(deps.db, actor, params.id, params.agreementId, query.reason, deps.clock.now()),
  });
}
