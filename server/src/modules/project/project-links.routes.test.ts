import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectDetail, ProjectLink } from '@shared/api/project.js';
import type { LinkCandidate, LinkTargetList } from '@shared/api/project-links.js';
import { contractBody } from '../contract/contract.test-support.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { createCatalogBook, createOwnedCustomer } from './project.test-support.js';

type ErrorBody = { error: { code: string; message: string } };

let server: TestServer;
let tokens: Record<string, string>;
let libraryId: number;
let otherLibraryId: number;
let projectId: number;
const records: Record<'visit' | 'quote' | 'contract' | 'receipt' | 'otherVisit', number> = { visit: 0, quote: 0, contract: 0, receipt: 0, otherVisit: 0 };

async function created<T extends { id: number }>(response: { status: number; body: unknown }): Promise<T> {
  expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
  return response.body as T;
}

beforeAll(async () => {
  server = await startTestServer({ now: new Date('2026-03-10T02:00:00Z') });
  tokens = {};
  for (const user of ['xuting01', 'liuyang01', 'huangxiaoming01', 'sunli01', 'gaoxiang01']) tokens[user] = await server.login(user);
  libraryId = await createOwnedCustomer(server, 'xuting01', '南京图书馆');
  otherLibraryId = await createOwnedCustomer(server, 'xuting01', '苏州图书馆');
  const bookId = await createCatalogBook(server, '9787544790871', '江南读书记', 4800);

  const project = await created<ProjectDetail>(
    await server.request('POST', '/api/projects', {
      token: tokens.xuting01,
      body: { kind: 'library_supply', name: '南京图书馆2026年中文图书采购', customerIds: [libraryId], members: [{ userId: await server.userId('liuyang01'), role: 'bid' }] },
    }),
  );
  projectId = project.id;

  const visit = (customerId: number) => server.request('POST', '/api/visits', { token: tokens.xuting01, body: { customerId, purpose: 'library_supply', location: { latitude: 32.0603, longitude: 118.7969, accuracyMeters: 15, coordinateSystem: 'gcj02', address: null } }, headers: { 'idempotency-key': crypto.randomUUID() } });
  records.visit = (await created(await visit(libraryId))).id;
  records.otherVisit = (await created(await visit(otherLibraryId))).id;
  records.quote = (
    await created(await server.request('POST', '/api/quotes', { token: tokens.xuting01, body: { customerId: libraryId, validUntil: '2026-04-30', notes: '投标报价', opportunityId: null, lines: [{ bookId, quantity: 20, discount: 7500 }] } }))
  ).id;
  records.contract = (await created(await server.request('POST', '/api/contracts', { token: tokens.xuting01, body: contractBody(libraryId) }))).id;
  const receipt = await server.request<{ receipt: { id: number } }>('POST', '/api/receivables/receipts', {
    token: tokens.gaoxiang01,
    body: { customerId: libraryId, receivedDate: '2026-03-05', amountFen: 500_000, payerName: '南京图书馆', method: 'bank_transfer' },
  });
  expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
  records.receipt = receipt.body.receipt.id;
});

afterAll(async () => {
  await server?.close();
});

async function candidates(refType: string, token = tokens.xuting01, extra = '') {
  return server.request<{ items: LinkCandidate[]; truncated: boolean } & ErrorBody>('GET', `/api/projects/${projectId}/link-candidates?refType=${refType}${extra}`, { token });
}

async function link(refType: string, refId: number, token = tokens.xuting01) {
  return server.request<{ items: ProjectLink[] } & ErrorBody>('POST', `/api/projects/${projectId}/links`, { token, body: { refType, refId } });
}

describe('GET /api/projects/:id/link-candidates', () => {
  it('lists each record type of the project customers', async () => {
    for (const refType of ['visit', 'quote', 'contract', 'receipt'] as const) {
      const response = await candidates(refType);
      expect(response.status, refType).toBe(200);
      expect(response.body.items.map((item) => item.refId), refType).toContain(records[refType]);
      expect(response.body.items.every((item) => item.customerId === libraryId), refType).toBe(true);
    }
  });

  it('leaves out records of other customers', async () => {
    const response = await candidates('visit');
    expect(response.body.items.map((item) => item.refId)).not.toContain(records.otherVisit);
  });

  it('rejects a customer that is not on the project', async () => {
    const response = await candidates('visit', tokens.xuting01, `&customerId=${otherLibraryId}`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('customer_not_in_project');
  });

  it('answers 404 to a rep of another team', async () => {
    const response = await candidates('visit', tokens.sunli01);
    expect(response.status).toBe(404);
  });

  it('shows a member none of the owner records', async () => {
    const response = await candidates('visit', tokens.liuyang01);
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([]);
  });
});

describe('POST /api/projects/:id/links', () => {
  it('links each record type once and audits it', async () => {
    for (const refType of ['visit', 'quote', 'contract', 'receipt'] as const) {
      const first = await link(refType, records[refType]);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const again = await link(refType, records[refType]);
      expect(again.status).toBe(200);
      expect(again.body.items.filter((item) => item.refType === refType && item.refId === records[refType])).toHaveLength(1);
    }

    const audit = await server.db.selectFrom('audit_log').select(['action', 'data']).where('entity_type', '=', 'project').where('entity_id', '=', String(projectId)).where('action', '=', 'project.link').execute();
    expect(audit).toHaveLength(4);
    const rows = await server.db.selectFrom('project_link').select('ref_type').where('project_id', '=', projectId).execute();
    expect(rows.map((row) => row.ref_type).sort()).toEqual(['contract', 'quote', 'receipt', 'visit']);
  });

  it('marks linked candidates with their link id', async () => {
    const response = await candidates('contract');
    const contract = response.body.items.find((item) => item.refId === records.contract);
    expect(contract?.linkId).toEqual(expect.any(Number));
  });

  it('rejects a record of a customer outside the project', async () => {
    const response = await link('visit', records.otherVisit);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('link_customer_not_in_project');
    expect(response.body.error.message).toContain('苏州图书馆');
  });

  it('answers 404 to a rep of another team', async () => {
    const response = await link('visit', records.visit, tokens.sunli01);
    expect(response.status).toBe(404);
  });

  it('answers 404 when a member cannot open the record', async () => {
    const response = await link('quote', records.quote, tokens.liuyang01);
    expect(response.status).toBe(404);
  });
});

describe('DELETE /api/projects/:id/links/:linkId', () => {
  it('limits unlinking to linker or manager', async () => {
    const list = await server.request<{ items: ProjectLink[] }>('GET', `/api/projects/${projectId}/links`, { token: tokens.liuyang01 });
    const visitLink = list.body.items.find((item) => item.refType === 'visit')!;
    expect(visitLink.canUnlink).toBe(false);

    const refused = await server.request<ErrorBody>('DELETE', `/api/projects/${projectId}/links/${visitLink.id}`, { token: tokens.liuyang01 });
    expect(refused.status).toBe(403);
    const outsider = await server.request('DELETE', `/api/projects/${projectId}/links/${visitLink.id}`, { token: tokens.sunli01 });
    expect(outsider.status).toBe(404);

    const removed = await server.request('DELETE', `/api/projects/${projectId}/links/${visitLink.id}`, { token: tokens.huangxiaoming01 });
    expect(removed.status).toBe(200);
    const audit = await server.db.selectFrom('audit_log').select('action').where('entity_id', '=', String(projectId)).where('action', '=', 'project.unlink').execute();
    expect(audit).toHaveLength(1);

    const relinked = await link('visit', records.visit);
    expect(relinked.status).toBe(200);
  });
});

describe('GET /api/project-link-targets', () => {
  it('lists customer projects with the link', async () => {
    const response = await server.request<LinkTargetList>('GET', `/api/project-link-targets?refType=contract&refId=${records.contract}`, { token: tokens.xuting01 });
    expect(response.status).toBe(200);
    expect(response.body.record.customerName).toBe('南京图书馆');
    expect(response.body.items).toEqual([expect.objectContaining({ projectId, linkId: expect.any(Number), canUnlink: true })]);
  });

  it('lists no project for a record of another customer', async () => {
    const response = await server.request<LinkTargetList>('GET', `/api/project-link-targets?refType=visit&refId=${records.otherVisit}`, { token: tokens.xuting01 });
    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([]);
  });

  it('answers 404 to a rep of another team', async () => {
    const response = await server.request('GET', `/api/project-link-targets?refType=visit&refId=${records.visit}`, { token: tokens.sunli01 });
    expect(response.status).toBe(404);
  });

  it('refuses links to a cancelled project', async () => {
    const cancelled = await server.request<ProjectDetail>('PATCH', `/api/projects/${projectId}`, { token: tokens.xuting01, body: { status: 'cancelled', reason: '图书馆暂停采购' } });
    expect(cancelled.status).toBe(200);
    const response = await link('quote', records.quote);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('project_cancelled');
    const targets = await server.request<LinkTargetList>('GET', `/api/project-link-targets?refType=visit&refId=${records.visit}`, { token: tokens.xuting01 });
    expect(targets.body.items.map((item) => item.status)).toEqual(['cancelled']);
  });
});
