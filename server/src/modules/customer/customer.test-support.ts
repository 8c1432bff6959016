import type { CreateCustomerRequest } from '@shared/api/customer.js';
import type { TestServer } from '../../test-support/test-server.js';

/** Factories for customer tests: unique names, valid credit codes and mobiles per call. */

const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
let sequence = 0;

/** A valid unified social credit code: '91' (enterprise), a 320106 (鼓楼区) registration area, a serial, the check character. */
export function makeCreditCode(serial: number): string {
  const body = `91320106${String(serial).padStart(9, '0')}`;
  let sum = 0;
  for (let index = 0; index < 17; index += 1) sum += alphabet.indexOf(body[index]!) * weights[index]!;
  return body + alphabet[(31 - (sum % 31)) % 31];
}

export function makeMobile(serial: number): string {
  return `139${String(serial).padStart(8, '0')}`;
}

export function nextSerial(): number {
  sequence += 1;
  return Number(`${process.pid % 1000}${String(sequence).padStart(4, '0')}`);
}

export function customerBody(overrides: Partial<Record<keyof CreateCustomerRequest, unknown>> = {}): Record<string, unknown> {
  const serial = nextSerial();
  return {
    name: `南京测试书店${serial}有限公司`,
    shortName: `测试${serial}`,
    type: 'private_store',
    creditCode: makeCreditCode(serial),
    regionCode: '320106',
    address: '江苏省南京市鼓楼区中山路 1 号',
    tags: ['测试'],
    contacts: [{ name: '王店长', role: 'store_manager', mobile: makeMobile(serial), isKey: true }],
    ...overrides,
  };
}

export interface CreatedCustomer {
  id: number;
  name: string;
  version: number;
}

export async function createCustomerAs(server: TestServer, token: string, overrides: Partial<Record<keyof CreateCustomerRequest, unknown>> = {}): Promise<CreatedCustomer> {
  const response = await server.request<CreatedCustomer>('POST', '/api/customers', { token, body: customerBody(overrides) });
  if (response.status !== 201) throw new Error(`creating a test customer failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}
