import { describe, expect, it } from 'vitest';
import {
  allocateInstallments,
  canArchiveContract,
  canEditContract,
  canRemoveAttachment,
  canRequestVoid,
  canSealContract,
  canSubmitContract,
  canUploadAttachment,
  canVoidDirectly,
} from './contract-rules.js';
import { formatYuan } from './money.js';

describe('contract lifecycle rules', () => {
  it('edits drafts only', () => {
    expect(canEditContract('draft')).toBe(true);
    for (const status of ['in_review', 'approved', 'sealed', 'archived', 'void_review', 'voided'] as const) expect(canEditContract(status)).toBe(false);
  });

  it('submits drafts, and approved contracts only after a change', () => {
    expect(canSubmitContract('draft', false)).toBe(true);
    expect(canSubmitContract('approved', true)).toBe(true);
    expect(canSubmitContract('approved', false)).toBe(false);
    expect(canSubmitContract('in_review', false)).toBe(false);
    expect(canSubmitContract('sealed', true)).toBe(false);
  });

  it('seals approved, unchanged contracts only', () => {
    expect(canSealContract('approved', false)).toBe(true);
    expect(canSealContract('approved', true)).toBe(false);
    expect(canSealContract('draft', false)).toBe(false);
    expect(canSealContract('sealed', false)).toBe(false);
  });

  it('archives sealed contracts only', () => {
    expect(canArchiveContract('sealed')).toBe(true);
    expect(canArchiveContract('approved')).toBe(false);
  });

  it('voids drafts directly and approved contracts through approval', () => {
    expect(canVoidDirectly('draft')).toBe(true);
    expect(canVoidDirectly('approved')).toBe(false);
    expect(canRequestVoid('approved')).toBe(true);
    expect(canRequestVoid('sealed')).toBe(true);
    expect(canRequestVoid('archived')).toBe(true);
    expect(canRequestVoid('draft')).toBe(false);
    expect(canRequestVoid('in_review')).toBe(false);
  });

  it('accepts contract files before sealing and the signed copy after', () => {
    expect(canUploadAttachment('draft', 'contract_text')).toBe(true);
    expect(canUploadAttachment('approved', 'appendix')).toBe(true);
    expect(canUploadAttachment('in_review', 'contract_text')).toBe(false);
    expect(canUploadAttachment('sealed', 'contract_text')).toBe(false);
    expect(canUploadAttachment('sealed', 'signed_copy')).toBe(true);
    expect(canUploadAttachment('draft', 'signed_copy')).toBe(false);
  });

  it('removes files from drafts', () => {
    expect(canRemoveAttachment('draft')).toBe(true);
    expect(canRemoveAttachment('approved')).toBe(false);
  });
});

describe('allocateInstallments', () => {
  it('accepts amounts that add up exactly', () => {
    expect(allocateInstallments(1000, [{ dueDate: '2026-01-01', amountFen: 400 }, { dueDate: '2026-02-01', amountFen: 600 }], formatYuan)).toEqual({ ok: true, amountsFen: [400, 600] });
  });

  it('refuses amounts off by one fen', () => {
    const result = allocateInstallments(1000, [{ dueDate: '2026-01-01', amountFen: 999 }], formatYuan);
    expect(result).toMatchObject({ ok: false, code: 'installments_total_mismatch' });
  });

  it('gives the rounding remainder of percentages to the last installment', () => {
    const result = allocateInstallments(100_001, [
      { dueDate: '2026-01-01', percentBp: 3000 },
      { dueDate: '2026-02-01', percentBp: 3000 },
      { dueDate: '2026-03-01', percentBp: 4000 },
    ], formatYuan);
    expect(result).toEqual({ ok: true, amountsFen: [30_000, 30_000, 40_001] });
  });

  it('refuses percentages that do not total 100%', () => {
    expect(allocateInstallments(1000, [{ dueDate: '2026-01-01', percentBp: 9000 }], formatYuan)).toMatchObject({ ok: false, code: 'installments_percent_mismatch' });
  });

  it('refuses mixing amounts and percentages', () => {
    expect(allocateInstallments(1000, [{ dueDate: '2026-01-01', percentBp: 5000 }, { dueDate: '2026-02-01', amountFen: 500 }], formatYuan)).toMatchObject({ ok: false, code: 'installments_mixed' });
  });

  it('refuses due dates going backwards', () => {
    expect(allocateInstallments(1000, [{ dueDate: '2026-02-01', amountFen: 500 }, { dueDate: '2026-01-01', amountFen: 500 }], formatYuan)).toMatchObject({ ok: false, code: 'installment_dates_unordered' });
  });

  it('needs installments for a non-zero amount and none for zero', () => {
    expect(allocateInstallments(1000, [], formatYuan)).toMatchObject({ ok: false, code: 'installments_missing' });
    expect(allocateInstallments(0, [], formatYuan)).toEqual({ ok: true, amountsFen: [] });
    expect(allocateInstallments(0, [{ dueDate: '2026-01-01', amountFen: 1 }], formatYuan)).toMatchObject({ ok: false, code: 'installments_unexpected' });
  });

  it('refuses a percentage that rounds to zero fen', () => {
    expect(allocateInstallments(5, [{ dueDate: '2026-01-01', percentBp: 1 }, { dueDate: '2026-02-01', percentBp: 9999 }], formatYuan)).toMatchObject({ ok: false, code: 'installment_zero' });
  });
});
