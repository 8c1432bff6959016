import { beforeEach, describe, expect, it } from 'vitest';
import { ApiRequestError } from '../api/errors';
import type { OutboxSender } from './outbox-flush';
import { createMemoryOutboxStore, type OutboxItem } from './outbox-store';
import { createMemoryDraftStore, type VisitDraft } from './visit-draft-store';
import { configureOutbox, enqueueCheckIn, enqueueSave, outboxState, requestSync, retryCheckInWithReason, setOutboxUser } from './visit-outbox';

const REP = 7;
let outbox = createMemoryOutboxStore();
let sent: OutboxItem[] = [];
let refuseCheckIn = false;

const draft: VisitDraft = {
  localId: 'visit-a',
  userId: REP,
  serverVisitId: null,
  customerId: 1,
  customerName: '南京市新华书店',
  target: null,
  checkIn: null,
  record: { purpose: 'other', contacts: [], notes: '', outcome: '', nextStep: '', followUpDate: null, shelfChecks: [] },
  photos: [],
  uploadedPhotoCount: 0,
  checkedOut: false,
  status: 'open',
  createdAt: '2025-03-10T06:00:00Z',
  updatedAt: '2025-03-10T06:00:00Z',
};

const sender: OutboxSender = {
  async checkIn(item) {
    if (refuseCheckIn) throw new ApiRequestError({ status: 400, code: 'flag_reason_required', message: '请填写原因后再签到' });
    sent.push(item);
    return { visitId: 42 };
  },
  async save(item) {
    sent.push(item);
  },
  async uploadPhoto(item) {
    sent.push(item);
  },
};

beforeEach(async () => {
  outbox = createMemoryOutboxStore();
  sent = [];
  refuseCheckIn = false;
  configureOutbox({ sender, stores: { outbox, drafts: createMemoryDraftStore() } });
  setOutboxUser(REP);
  await requestSync();
});

describe('enqueueSave', () => {
  it('replaces an unsent save of the same visit', async () => {
    setOutboxUser(null);
    await enqueueSave(draft, { notes: 'first' });
    await enqueueSave(draft, { notes: 'second' });

    const saves = (await outbox.list()).filter((item) => item.kind === 'save');
    expect(saves.map((item) => item.body)).toEqual([{ notes: 'second' }]);
  });
});

describe('retryCheckInWithReason', () => {
  it('resends a rejected check-in with the reason under a new key', async () => {
    refuseCheckIn = true;
    await enqueueCheckIn(draft, { customerId: 1, flagReason: null });
    await requestSync();
    const [failed] = await outbox.list();
    expect(outboxState.failed.map((item) => item.code)).toEqual(['flag_reason_required']);

    refuseCheckIn = false;
    await retryCheckInWithReason(failed!.id!, '客户约在分店见面');
    await requestSync();

    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toEqual({ customerId: 1, flagReason: '客户约在分店见面' });
    expect(sent[0]!.idempotencyKey).not.toBe(failed!.idempotencyKey);
    expect(await outbox.list()).toEqual([]);
  });
});
