import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { makeCreditCode } from '../server/src/modules/customer/customer.test-support';
import { launchMobileBrowser, saveScreenshot, type MobileBrowser } from './support/browser';
import { startTestStack, type TestStack } from './support/stack';

/** Logs a demo user in over the API (fake platform auth code → session token). */
async function apiLogin(stack: TestStack, userid: string): Promise<string> {
  const minted = await fetch(`${stack.fakePlatformUrl}/__fake/auth-codes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'dingtalk', userid }) });
  const { code } = z.object({ code: z.string() }).parse(await minted.json());
  const login = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'dingtalk', code }) });
  return z.object({ token: z.string() }).parse(await login.json()).token;
}

async function api<T extends z.ZodType>(stack: TestStack, token: string, urlPath: string, schema: T, init: { method?: string; body?: unknown } = {}): Promise<z.infer<T>> {
  const response = await fetch(`${stack.url}${urlPath}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${urlPath} → ${response.status} ${JSON.stringify(body)}`);
  return schema.parse(body);
}

const sentSchema = z.object({ messages: z.array(z.object({ kind: z.string(), recipients: z.array(z.string()), body: z.unknown() })) });

/** Work notices sent so far whose card mentions `text`, as the fake DingTalk recorded them. */
async function noticesMentioning(stack: TestStack, text: string) {
  const response = await fetch(`${stack.fakePlatformUrl}/__fake/messages?platform=dingtalk`);
  const { messages } = sentSchema.parse(await response.json());
  return messages.filter((message) => message.kind === 'work_notice' && JSON.stringify(message.body).includes(text));
}

/** Waits for the notification dispatcher (a job of the running server) to send a notice to `userid`. */
async function waitForNotice(stack: TestStack, text: string, userid: string) {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const notice = (await noticesMentioning(stack, text)).find((message) => message.recipients.includes(userid));
    if (notice) return notice;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no work notice mentioning ${text} reached ${userid}`);
}

/** The H5 address behind the card's button: DingTalk wraps it as dingtalk://dingtalkclient/page/link?url=…. */
function pageLinkOf(notice: { body: unknown }): string {
  const match = /dingtalk:\/\/dingtalkclient\/page\/link\?url=([^&"]+)/.exec(JSON.stringify(notice.body));
  if (!match) throw new Error(`the notice has no page link: ${JSON.stringify(notice.body)}`);
  return decodeURIComponent(match[1]!);
}

describe('contract approval from a DingTalk notice', () => {
  let stack: TestStack;
  let repBrowser: MobileBrowser;
  let leaderBrowser: MobileBrowser;
  let fileDir: string;
  let contractFile: string;
  let contract: { id: number; number: string };

  beforeAll(async () => {
    stack = await startTestStack();
    repBrowser = await launchMobileBrowser();
    leaderBrowser = await launchMobileBrowser();

    const token = await apiLogin(stack, 'zhangwei01');
    const customer = await api(stack, token, '/api/customers', z.object({ id: z.number() }), {
      method: 'POST',
      body: { name: '杭州晓风书屋文化发展有限公司', type: 'private_store', creditCode: makeCreditCode(770_001), regionCode: '330106', address: '杭州市西湖区体育场路 2 号', contacts: [{ name: '许经理', mobile: '13905710001', isKey: true }] },
    });
    const books = await api(stack, token, '/api/books?status=on_sale&limit=20', z.object({ items: z.array(z.object({ id: z.number() })) }));
    expect(books.items.length).toBeGreaterThan(1);
    contract = await api(stack, token, '/api/contracts', z.object({ id: z.number(), number: z.string() }), {
      method: 'POST',
      body: {
        customerId: customer.id,
        type: 'purchase_sale',
        title: '晓风书屋春季文学新书购销合同',
        deliveryTerms: '到货 5 个工作日内验收',
        lines: [
          { bookId: books.items[0]!.id, quantity: 100, discount: 6500 },
          { bookId: books.items[1]!.id, quantity: 60, discount: 6500 },
        ],
        installments: [{ dueDate: '2027-06-30', percentBp: 10_000 }],
      },
    });

    fileDir = await mkdtemp(path.join(tmpdir(), 'crm-e2e-contract-'));
    contractFile = path.join(fileDir, '晓风书屋购销合同.pdf');
    await writeFile(contractFile, '%PDF-1.4\n1 0 obj << /Title (晓风书屋购销合同) >> endobj\n%%EOF\n');
  });

  afterAll(async () => {
    await repBrowser?.close();
    await leaderBrowser?.close();
    await stack?.stop();
    if (fileDir) await rm(fileDir, { recursive: true, force: true });
  });

  it('lets the rep submit, the leader approve from the notice link, and shows the rep 已通过', async () => {
    // The rep uploads the contract text and submits on the phone.
    const rep = repBrowser.page;
    await rep.goto(stack.url);
    await rep.locator('[data-userid="zhangwei01"]').click();
    await rep.locator('.workbench__greeting').waitFor();
    await rep.goto(`${stack.url}/#/contracts/${contract.id}`);
    await rep.locator('[data-testid="contract-status"]', { hasText: '草稿' }).waitFor();
    await rep.locator('[data-testid="upload-file"]').click();
    const chooser = rep.waitForEvent('filechooser');
    await rep.locator('.van-action-sheet__item', { hasText: '合同正文' }).click();
    await (await chooser).setFiles(contractFile);
    await rep.locator('.file__name', { hasText: '晓风书屋购销合同.pdf' }).waitFor();
    await rep.locator('[data-testid="submit-contract"]').click();
    await rep.locator('.van-dialog__confirm').click();
    await rep.locator('[data-testid="contract-status"]', { hasText: '审批中' }).waitFor();
    await saveScreenshot(rep, 'approval-01-rep-submitted');

    // 王磊 gets one DingTalk work notice; its button opens the approval page.
    const notice = await waitForNotice(stack, contract.number, 'wanglei01');
    const link = pageLinkOf(notice);
    expect(link).toMatch(new RegExp(`/#/approvals/\\d+$`));

    const leader = leaderBrowser.page;
    await leader.goto(link);
    await leader.locator('[data-userid="wanglei01"]').click();
    await leader.locator('[data-testid="approval-status"]', { hasText: '审批中' }).waitFor();
    expect(await leader.locator('.approval__title').textContent()).toContain(contract.number);
    await saveScreenshot(leader, 'approval-02-leader-opened-from-notice');
    await leader.locator('[data-testid="approval-opinion"] input').fill('同意，按期回款');
    await leader.locator('[data-testid="approval-approve"]').click();
    await leader.locator('.flow__step--approved', { hasText: '部门负责人审批' }).waitFor();
    await saveScreenshot(leader, 'approval-03-leader-approved');

    // 财务 approves the last step from the same kind of notice (over the API here).
    const financeNotice = await waitForNotice(stack, contract.number, 'zhuhongmei01');
    const approvalId = Number(/approvals\/(\d+)$/.exec(pageLinkOf(financeNotice))![1]);
    const financeToken = await apiLogin(stack, 'zhuhongmei01');
    await api(stack, financeToken, `/api/approvals/${approvalId}/approve`, z.object({ status: z.string() }), { method: 'POST', body: { comment: '回款节点合理' } });

    // The rep sees 已通过 in 我发起的 and on the contract.
    await rep.goto(`${stack.url}/#/approvals`);
    await rep.locator('.van-tab', { hasText: '我发起的' }).click();
    const submitted = rep.locator(`[data-approval-id="${approvalId}"]`);
    await submitted.locator('.van-tag', { hasText: '已通过' }).waitFor();
    await saveScreenshot(rep, 'approval-04-rep-sees-approved');
    await submitted.click();
    await rep.locator('[data-testid="approval-status"]', { hasText: '已通过' }).waitFor();

    // Exactly one notice per task: 王磊 and 朱红梅 each got one card for this contract's tasks.
    const taskNotices = (await noticesMentioning(stack, contract.number)).filter((message) => JSON.stringify(message.body).includes('待您审批'));
    expect(taskNotices.map((message) => message.recipients[0]).sort()).toEqual(['wanglei01', 'zhuhongmei01']);
    expect(repBrowser.pageErrors).toEqual([]);
    expect(leaderBrowser.pageErrors).toEqual([]);
  });
});
