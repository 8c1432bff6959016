import { contactInputSchema, contactSchema, okSchema } from '@shared/api/customer.js';
import { idParamsSchema } from '@shared/api/org.js';
import { z } from 'zod';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { addContact, editContact, listCustomerContacts, removeContact } from './contact.service.js';

const tag = '客户联系人';

export function registerContactRoutes(deps: ModuleDeps): void {
  defineRoute(deps, {
    method: 'get',
    path: '/customers/:id/contacts',
    summary: '客户的联系人（关键联系人在前）',
    tag,
    params: idParamsSchema,
    response: z.array(contactSchema),
    handler: ({ actor, params }) => listCustomerContacts(deps.db, actor, params.id),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/customers/:id/contacts',
    summary: '新增联系人（手机号已属于其他客户时按撞单处理）',
    tag,
    params: idParamsSchema,
    body: contactInputSchema,
    response: contactSchema,
    idempotency: 'optional',
    handler: ({ actor, params, body }) => addContact(deps.db, actor, params.id, body, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'put',
    path: '/contacts/:id',
    summary: '修改联系人',
    tag,
    params: idParamsSchema,
    body: contactInputSchema,
    response: contactSchema,
    handler: ({ actor, params, body }) => editContact(deps.db, actor, params.id, body, deps.clock.now()),
  });

  defineRoute(deps, {
    method: 'delete',
    path: '/contacts/:id',
    summary: '删除联系人',
    tag,
    params: idParamsSchema,
    response: okSchema,
    handler: async ({ actor, params }) => {
      await removeContact(deps.db, actor, params.id, deps.clock.now());
      return { ok: true as const };
    },
  });
}
