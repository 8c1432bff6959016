import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalDetail } from '@shared/api/approval.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { dispatchNotifications } from '../../jobs/notification-dispatcher.js';
import { createLogger } from '../../logger.js';
import { registerRecordingSubject, submitTestApproval } from './approval.test-support.js';

let server: TestServer;

async function dispatchAll(): Promise<void> {
  const logger = createLogger('silent');
  const clock = { now: () => new Date(Date.now() + 1000) };
  while ((await dispatchNotifications({ db: server.db, platform: server.server.platform, clock, logger })) > 0);
}

async function sentTo(userid: string) {
  const response = await fetch(`${server.fakePlatformUrl}/__fake/messages?platform=wecom&userid=${userid}`);
  return ((await response.json()) as { messages: { kind: string; body: unknown }[] }).messages;
}

beforeAll(async () => {
  server = await startTestServer({ platform: 'wecom' });
  registerRecordingSubject();
});

afterAll(async () => {
  await server?.close();
});

describe('approvals on WeCom', () => {
  it('sends one application message per task, no to-do, and runs the same flow', async () => {
    const approvalId = await submitTestApproval(server.db, { templateCode: 'invoice_request', submitterId: await server.userId('hejing01'), subject: { title: '企业微信开票申请' } });
    await dispatchAll();

    const leaderMessages = (await sentTo('yangfan01')).filter((message) => JSON.stringify(message.body).includes('企业微信开票申请'));
    expect(leaderMessages.map((message) => message.kind)).toEqual(['app_message']);
    expect(JSON.stringify(leaderMessages[0]!.body)).toContain(`/#/approvals/${approvalId}`);

    const token = await server.login('yangfan01');
    const approved = await server.request<ApprovalDetail>('POST', `/api/approvals/${approvalId}/approve`, { token, body: { comment: '同意' } });
    expect(approved.status).toBe(200);
    expect(approved.body.history.map((entry) => entry.action)).toEqual(['submit', 'approve']);

    const finance = await server.login('gaoxiang01');
    const final = await server.request<ApprovalDetail>('POST', `/api/approvals/${approvalId}/approve`, { token: finance, body: {} });
    expect(final.body.status).toBe('approved');

    await dispatchAll();
    const submitterMessages = (await sentTo('hejing01')).filter((message) => JSON.stringify(message.body).includes('审批已通过'));
    expect(submitterMessages).toHaveLength(1);
  });
});
