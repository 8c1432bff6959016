import { bookInputSchema, bookPageSchema, bookSchema, bookSearchQuerySchema, bookSeriesListSchema, bookUpdateSchema, isbnParamsSchema } from '@shared/api/book.js';
import { idParamsSchema } from '@shared/api/org.js';
import { defineRoute } from '../../http/define-route.js';
import type { ModuleDeps } from '../module-deps.js';
import { registerBookFileRoutes } from './book.file-routes.js';
import { catalogMaintainerRoles } from './book.rules.js';
import { createBook, getBookByIsbnOrThrow, getBookOrThrow, listSeries, searchBooks, updateBook } from './book.service.js';

export function registerBookRoutes(deps: ModuleDeps): void {
  // File routes first: '/books/import-template' must not be taken for '/books/:id'.
  registerBookFileRoutes(deps);

  defineRoute(deps, {
    method: 'get',
    path: '/books',
    summary: '搜索书目：ISBN（任意格式）、书名、拼音或首字母、作者、丛书',
    tag: '书目',
    query: bookSearchQuerySchema,
    response: bookPageSchema,
    handler: ({ query }) => searchBooks(deps.db, query),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/books/series',
    summary: '丛书列表及品种数',
    tag: '书目',
    response: bookSeriesListSchema,
    handler: () => listSeries(deps.db),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/books/by-isbn/:isbn',
    summary: '按 ISBN 查图书（扫码加行用），ISBN-10 或带连字符均可',
    tag: '书目',
    params: isbnParamsSchema,
    response: bookSchema,
    handler: ({ params }) => getBookByIsbnOrThrow(deps.db, params.isbn),
  });

  defineRoute(deps, {
    method: 'get',
    path: '/books/:id',
    summary: '图书详情',
    tag: '书目',
    params: idParamsSchema,
    response: bookSchema,
    handler: ({ params }) => getBookOrThrow(deps.db, params.id),
  });

  defineRoute(deps, {
    method: 'post',
    path: '/books',
    summary: '新增图书',
    tag: '书目',
    roles: catalogMaintainerRoles,
    idempotency: 'optional',
    body: bookInputSchema,
    response: bookSchema,
    handler: ({ body, actor }) => deps.db.transaction().execute((trx) => createBook(trx, actor, body, deps.clock.now())),
  });

  defineRoute(deps, {
    method: 'patch',
    path: '/books/:id',
    summary: '修改图书（定价变更记入审计日志）',
    tag: '书目',
    roles: catalogMaintainerRoles,
    params: idParamsSchema,
    body: bookUpdateSchema,
    response: bookSchema,
    handler: ({ params, body, actor }) => deps.db.transaction().execute((trx) => updateBook(trx, actor, params.id, body, deps.clock.now())),
  });

}

