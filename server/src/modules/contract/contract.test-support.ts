import type { ContractDetail } from '@shared/api/contract.js';
import type { TestServer } from '../../test-support/test-server.js';

/** A minimal but real PDF header, enough for the type check by magic bytes. */
export function pdfBytes(text = '销售合同正文'): Buffer {
  return Buffer.concat([Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.from(`1 0 obj << /Title (${text}) >> endobj\n%%EOF\n`, 'utf8')]);
}

/** Uploads a file as multipart, the way the H5 does. */
export async function uploadContractFile(
  server: TestServer,
  token: string,
  contractId: number,
  file: { name: string; bytes: Buffer; type?: string; kind?: string },
): Promise<{ status: number; body: ContractDetail & { error: { code: string; message: string } } }> {
  const form = new FormData();
  form.set('kind', file.kind ?? 'contract_text');
  form.set('file', new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/pdf' }), file.name);
  const response = await fetch(`${server.url}/api/contracts/${contractId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: response.status, body: (await response.json()) as never };
}

export function contractBody(customerId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    customerId,
    type: 'purchase_sale',
    title: '2026 年春季图书购销合同',
    startDate: '2026-03-01',
    endDate: '2026-12-31',
    deliveryTerms: '乙方收到订单后 7 个工作日内发货至甲方仓库，运费由乙方承担',
    lines: [
      { bookId: null, title: '江南文艺年鉴（2025）', isbn: null, listPriceFen: 9800, quantity: 200, discount: 6500 },
      { bookId: null, title: '运河人家', isbn: '9787020002207', listPriceFen: 4500, quantity: 300, discount: 6200 },
    ],
    // 9800×200×0.65 = 1,274,000 fen; 4500×300×0.62 = 837,000 fen; total 2,111,000 fen.
    installments: [
      { dueDate: '2026-04-30', amountFen: 1_000_000 },
      { dueDate: '2026-07-31', amountFen: 1_111_000 },
    ],
    ...overrides,
  };
}
