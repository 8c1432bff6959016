import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
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

const planPageSchema = z.object({ items: z.array(z.object({ id: z.number(), customer: z.object({ id: z.number(), name: z.string() }), daysOverdue: z.number(), outstandingFen: z.number() })), total: z.number() });
const statementListSchema = z.object({ items: z.array(z.object({ id: z.number().nullable(), status: z.string(), customer: z.object({ id: z.number(), name: z.string() }) })) });

async function loginInBrowser(browser: MobileBrowser, stack: TestStack, userid: string): Promise<void> {
  await browser.page.goto(stack.url);
  await browser.page.locator(`[data-userid="${userid}"]`).click();
  await browser.page.locator('.workbench__greeting').waitFor();
}

describe('receivables on the phone', () => {
  let stack: TestStack;
  let rep: MobileBrowser;
  let finance: MobileBrowser;
  let clerk: MobileBrowser;

  beforeAll(async () => {
    stack = await startTestStack();
    [rep, finance, clerk] = await Promise.all([launchMobileBrowser(), launchMobileBrowser(), launchMobileBrowser()]);
    await loginInBrowser(rep, stack, 'zhangwei01');
    await loginInBrowser(finance, stack, 'gaoxiang01');
  });

  afterAll(async () => {
    await Promise.all([rep?.close(), finance?.close(), clerk?.close()]);
    await stack?.stop();
  });

  it('shows the rep’s plans with aging buckets, overdue first', async () => {
    const { page } = rep;
    await page.goto(`${stack.url}/#/receivables`);
    await page.getByTestId('plan-card').first().waitFor();
    await page.getByTestId('bucket-over_90').waitFor();
    await saveScreenshot(page, 'receivables-overview');

    const token = await apiLogin(stack, 'zhangwei01');
    const overdue = await api(stack, token, '/api/receivables/plans?bucket=overdue&limit=50', planPageSchema);
    expect(overdue.total).toBeGreaterThanOrEqual(4);
    const firstCard = await page.getByTestId('plan-card').first().textContent();
    expect(firstCard).toContain(`逾期 ${overdue.items[0]!.daysOverdue} 天`);

    await page.getByTestId('bucket-d31_60').click();
    await page.getByTestId('plan-card').first().waitFor();
    const cards = await page.getByTestId('plan-card').allTextContents();
    for (const card of cards) {
      const days = Number(/逾期 (\d+) 天/.exec(card)?.[1]);
      expect(days).toBeGreaterThanOrEqual(31);
      expect(days).toBeLessThanOrEqual(60);
    }

    await page.getByTestId('plan-card').first().click();
    await page.getByTestId('plan-outstanding').waitFor();
    await saveScreenshot(page, 'receivable-plan-detail');
    expect(rep.pageErrors, rep.pageErrors.join('\n')).toEqual([]);
  });

  it('lets finance record a partial receipt that is allocated to the oldest plan', async () => {
    const token = await apiLogin(stack, 'gaoxiang01');
    const overdue = await api(stack, token, '/api/receivables/plans?bucket=overdue&limit=50', planPageSchema);
    const plan = overdue.items[0]!;
    const { page } = finance;

    await page.goto(`${stack.url}/#/receivables/plans/${plan.id}`);
    await page.getByTestId('record-receipt').click();
    await expect.poll(() => page.getByTestId('customer-picker').locator('input').inputValue()).toBe(plan.customer.name);
    await page.getByTestId('receipt-amount').locator('input').fill('1000.50');
    await saveScreenshot(page, 'receipt-form');
    await page.getByTestId('save-receipt').click();
    await page.locator('.van-dialog__confirm').click();
    await page.getByTestId('receipt-allocated').waitFor();
    expect(await page.getByTestId('receipt-allocated').textContent()).toContain('¥1,000.50 / ¥0.00');
    await saveScreenshot(page, 'receipt-detail');

    const after = await api(stack, token, `/api/receivables/plans/${plan.id}`, z.object({ plan: z.object({ outstandingFen: z.number() }) }));
    expect(after.plan.outstandingFen).toBe(plan.outstandingFen - 100_050);
    expect(finance.pageErrors, finance.pageErrors.join('\n')).toEqual([]);
  });

  it('lets a store clerk dispute a statement line and the rep see the task', async () => {
    const financeToken = await apiLogin(stack, 'gaoxiang01');
    const statements = await api(stack, financeToken, '/api/receivables/statements?limit=50', statementListSchema);
    const statement = statements.items.find((item) => item.status === 'disputed')!;
    expect(statement).toBeDefined();
    const share = await api(stack, financeToken, `/api/receivables/statements/${statement.id}/shares`, z.object({ url: z.string() }), { method: 'POST', body: {} });
    const shareLink = new URL(share.url);

    // The clerk opens the link in a plain browser, without any login.
    const { page } = clerk;
    await page.goto(`${stack.url}/${shareLink.hash}`);
    await page.getByTestId('statement-line').first().waitFor();
    await page.getByTestId('statement-line').nth(1).click();
    await page.getByTestId('clerk-name').locator('input').fill('李会计');
    await page.getByTestId('dispute-comment').locator('textarea').fill('这笔回款我方记的是 2 月 21 日到账');
    await page.getByTestId('submit-dispute').click();
    await expect.poll(() => page.locator('.public-statement__dispute').count()).toBeGreaterThanOrEqual(2);
    await saveScreenshot(page, 'statement-public-dispute');

    await rep.page.goto(`${stack.url}/#/receivables/disputes`);
    await rep.page.getByTestId('dispute').first().waitFor();
    expect(await rep.page.getByTestId('dispute').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('李会计')]));
    await saveScreenshot(rep.page, 'statement-disputes');
    expect(clerk.pageErrors, clerk.pageErrors.join('\n')).toEqual([]);
  });

  it('shows finance the statement at DingTalk PC width', async () => {
    const financeToken = await apiLogin(stack, 'gaoxiang01');
    const statements = await api(stack, financeToken, '/api/receivables/statements?limit=50', statementListSchema);
    const { page } = finance;
    await page.setViewportSize({ width: 1000, height: 700 });
    await page.goto(`${stack.url}/#/receivables/statements/${statements.items[0]!.id}`);
    await page.getByTestId('statement-figures').waitFor();
    await page.getByTestId('statement-line').first().waitFor();
    await saveScreenshot(page, 'statement-pc-width');
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it('opens the documents, invoice, consignment and settings pages', async () => {
    const financeToken = await apiLogin(stack, 'gaoxiang01');
    const requests = await api(stack, financeToken, '/api/receivables/invoice-requests?limit=5', z.object({ items: z.array(z.object({ id: z.number(), status: z.string() })) }));
    const settlements = await api(stack, financeToken, '/api/receivables/consignment/settlements?limit=5', z.object({ items: z.array(z.object({ customer: z.object({ id: z.number() }) })) }));
    const { page } = finance;

    await page.goto(`${stack.url}/#/receivables/documents`);
    await page.getByTestId('import-documents').waitFor();
    await page.locator('.van-cell').first().waitFor();
    await saveScreenshot(page, 'receivable-documents');

    await page.goto(`${stack.url}/#/receivables/invoice-requests/${requests.items[0]!.id}`);
    await page.getByTestId('invoice-request-status').waitFor();
    await saveScreenshot(page, 'invoice-request-detail');

    await page.goto(`${stack.url}/#/receivables/consignment/${settlements.items[0]!.customer.id}`);
    await page.locator('.consignment .van-cell').first().waitFor();
    await saveScreenshot(page, 'consignment-stock');

    await page.goto(`${stack.url}/#/receivables/settings`);
    await page.locator('.receivable-settings .van-field').first().waitFor();
    await saveScreenshot(page, 'receivable-settings');

    await rep.page.goto(`${stack.url}/#/receivables/returns/new`);
    await rep.page.getByTestId('save-return').waitFor();
    await saveScreenshot(rep.page, 'return-form');
    expect([...finance.pageErrors, ...rep.pageErrors]).toEqual([]);
  });

  it('keeps another team’s receivables out of a rep’s list', async () => {
    const zhangToken = await apiLogin(stack, 'zhangwei01');
    const sunliToken = await apiLogin(stack, 'sunli01');
    const zhangPlans = await api(stack, zhangToken, '/api/receivables/plans?status=all&limit=200', planPageSchema);
    const sunliPlans = await api(stack, sunliToken, '/api/receivables/plans?status=all&limit=200', planPageSchema);

    const zhangCustomers = new Set(zhangPlans.items.map((plan) => plan.customer.id));
    expect(sunliPlans.items.some((plan) => zhangCustomers.has(plan.customer.id))).toBe(false);
    const response = await fetch(`${stack.url}/api/receivables/plans/${zhangPlans.items[0]!.id}`, { headers: { authorization: `Bearer ${sunliToken}` } });
    expect(response.status).toBe(404);
  });
});
