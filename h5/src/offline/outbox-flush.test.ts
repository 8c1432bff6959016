import { describe, expect, it } from 'vitest';
import { ApiRequestError, networkError } from '../api/errors';
import { classifySendError, flushOutbox, type OutboxSender } from './outbox-flush';
import { createMemoryOutboxStore, type OutboxItem } from './outbox-store';
import { createMemoryDraftStore, type VisitDraft } from './visit-draft-store';

const REP = 7;

function item(localVisitId: string, kind: OutboxItem['kind'], overrides: Partial<OutboxItem> = {}): OutboxItem {
  return {
    userId: REP,
    localVisitId,
    serverVisitId: null,
    kind,
    idempotencyKey: `${localVisitId}-${kind}`,
    body: { kind },
    photo: null,
    createdAt: '2025-03-10T06:00:00Z',
    attempts: 0,
    state: 'pending',
    lastError: null,
    ...overrides,
  };
}

function draft(localId: string, status: VisitDraft['status']): VisitDraft {
  return {
    localId,
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
    status,
    createdAt: '2025-03-10T06:00:00Z',
    updatedAt: '2025-03-10T06:00:00Z',
  };
}

/** A sender that records calls and fails the calls a script picks. */
function scriptedSender(script: (call: string) => Error | undefined = () => undefined) {
  const calls: string[] = [];
  let nextVisitId = 100;
  const run = (call: string) => {
    calls.push(call);
    const failure = script(call);
    if (failure) throw failure;
  };
  const sender: OutboxSender = {
    async checkIn(outboxItem) {
      run(`check_in:${outboxItem.localVisitId}`);
      nextVisitId += 1;
      return { visitId: nextVisitId };
    },
    async save(outboxItem, visitId) {
      run(`save:${outboxItem.localVisitId}:${visitId}`);
    },
    async uploadPhoto(outboxItem, visitId) {
      run(`photo:${outboxItem.localVisitId}:${visitId}`);
    },
  };
  return { sender, calls };
}

async function setup(items: OutboxItem[], drafts: VisitDraft[] = []) {
  const stores = { outbox: createMemoryOutboxStore(), drafts: createMemoryDraftStore() };
  for (const entry of items) await stores.outbox.add(entry);
  for (const entry of drafts) await stores.drafts.put(entry);
  return stores;
}

describe('flushOutbox', () => {
  it('visit items sent in order', async () => {
    const stores = await setup([item('a', 'check_in'), item('a', 'photo'), item('a', 'save')], [draft('a', 'submitted')]);
    const { sender, calls } = scriptedSender();

    const result = await flushOutbox(stores, sender, REP);

    expect(calls).toEqual(['check_in:a', 'photo:a:101', 'save:a:101']);
    expect(result).toEqual({ sent: 3, offline: false, deferred: 0, failed: 0 });
    expect(await stores.outbox.list()).toEqual([]);
    expect(await stores.drafts.list()).toEqual([]);
  });

  it('network failure keeps items and keys', async () => {
    const stores = await setup([item('a', 'check_in'), item('a', 'save')], [draft('a', 'submitted')]);
    const { sender } = scriptedSender(() => networkError(new TypeError('Failed to fetch')));

    const result = await flushOutbox(stores, sender, REP);

    expect(result.offline).toBe(true);
    expect((await stores.outbox.list()).map((entry) => entry.idempotencyKey)).toEqual(['a-check_in', 'a-save']);
    expect(await stores.drafts.get('a')).toBeDefined();
  });

  it('rejected visit holds back only itself', async () => {
    const refused = new ApiRequestError({ status: 400, code: 'flag_reason_required', message: '请填写原因' });
    const stores = await setup([item('a', 'check_in'), item('a', 'save'), item('b', 'check_in')], [draft('a', 'submitted'), draft('b', 'open')]);
    const { sender, calls } = scriptedSender((call) => (call === 'check_in:a' ? refused : undefined));

    const result = await flushOutbox(stores, sender, REP);

    expect(calls).toEqual(['check_in:a', 'check_in:b']);
    expect(result).toMatchObject({ sent: 1, failed: 1, deferred: 1 });
    const [failed] = await stores.outbox.list();
    expect(failed).toMatchObject({ localVisitId: 'a', state: 'failed', attempts: 1, lastError: { code: 'flag_reason_required', message: '请填写原因' } });
    expect((await stores.drafts.get('b'))?.serverVisitId).toBe(101);
  });

  it('server error retried later', async () => {
    const stores = await setup([item('a', 'check_in')]);
    const { sender } = scriptedSender(() => new ApiRequestError({ status: 503, code: 'unexpected_response', message: '服务器暂时无法处理请求' }));

    const result = await flushOutbox(stores, sender, REP);

    expect(result).toMatchObject({ deferred: 1, failed: 0 });
    expect((await stores.outbox.list())[0]).toMatchObject({ state: 'pending', attempts: 1 });
  });

  it('only current user items sent', async () => {
    const stores = await setup([item('a', 'check_in', { userId: 99 }), item('b', 'check_in')]);
    const { sender, calls } = scriptedSender();

    await flushOutbox(stores, sender, REP);

    expect(calls).toEqual(['check_in:b']);
    expect((await stores.outbox.list()).map((entry) => entry.userId)).toEqual([99]);
  });

  it('open draft kept after sending', async () => {
    const stores = await setup([item('a', 'check_in')], [draft('a', 'open')]);

    await flushOutbox(stores, scriptedSender().sender, REP);

    expect(await stores.drafts.get('a')).toMatchObject({ serverVisitId: 101, status: 'open' });
  });
});

describe('classifySendError', () => {
  it('sorts errors into offline, retry, session and refused', () => {
    expect(classifySendError(networkError(new TypeError('x')))).toBe('offline');
    expect(classifySendError(new ApiRequestError({ status: 409, code: 'request_in_progress', message: '' }))).toBe('retry');
    expect(classifySendError(new ApiRequestError({ status: 401, code: 'session_expired', message: '' }))).toBe('session');
    expect(classifySendError(new ApiRequestError({ status: 409, code: 'idempotency_key_reused', message: '' }))).toBe('refused');
    expect(classifySendError(new ApiRequestError({ status: 404, code: 'not_found', message: '' }))).toBe('refused');
  });
});
