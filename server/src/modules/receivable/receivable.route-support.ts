import type { TestServer } from '../../test-support/test-server.js';
import { makeCreditCode, nextSerial } from '../customer/customer.test-support.js';
import { createPaymentPlansForContract, type ContractInstallment } from './payment-plan.service.js';
import { insertTestContract, insertTestCustomer } from './receivable.test-support.js';

/** Helpers for receivable route tests against the real app: logins, customers with contracts and plans. */
export class ReceivableTestClient {
  private readonly tokens = new Map<string, string>();

  constructor(readonly server: TestServer) {}

  async token(userid: string): Promise<string> {
    if (!this.tokens.has(userid)) this.tokens.set(userid, await this.server.login(userid));
    return this.tokens.get(userid)!;
  }

  async call<T = any>(userid: string, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }> {
    return this.server.request<T>(method, `/api${path}`, { token: await this.token(userid), body, headers });
  }

  /** Creates a customer owned by `owner` with a valid credit code, and an approved contract with the given installments. */
  async customerWithPlans(owner: string, installments: ContractInstallment[], options: { name?: string } = {}) {
    const ownerId = await this.server.userId(owner);
    const creditCode = makeCreditCode(nextSerial());
    const customerId = await insertTestCustomer(this.server.db, { ownerId, name: options.name, creditCode });
    const contractId = await insertTestContract(this.server.db, { customerId, ownerId, totalNetFen: installments.reduce((sum, item) => sum + item.amountFen, 0) });
    const { planIds } = await createPaymentPlansForContract(this.server.db, { contractId, customerId, ownerId, installments, now: new Date() });
    return { customerId, contractId, planIds, ownerId, creditCode };
  }

  async upload(userid: string, path: string, file: { name: string; content: Buffer | string; type?: string }) {
    const form = new FormData();
    const bytes = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
    form.set('file', new Blob([new Uint8Array(bytes)], { type: file.type ?? 'text/csv' }), file.name);
    const response = await fetch(`${this.server.url}/api${path}`, { method: 'POST', headers: { authorization: `Bearer ${await this.token(userid)}` }, body: form });
    return { status: response.status, body: (await response.json()) as any };
  }
}
