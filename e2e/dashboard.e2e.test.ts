import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { launchMobileBrowser, saveScreenshot, type MobileBrowser } from './support/browser';
import { startTestStack, type TestStack } from './support/stack';

// 王磊 (wanglei01) leads 华东片区; the demo seeds its reps' opportunities, contracts, receipts and targets,
// and 徐婷's 馆配 projects (浙江图书馆 delivering, 南京图书馆 at the bid stage).

const dashboardSchema = z.object({
  funnel: z.object({ stages: z.array(z.object({ stage: z.string(), count: z.number() })) }),
  summary: z.object({ period: z.object({ from: z.string(), to: z.string() }) }),
});

async function apiLogin(stack: TestStack, userid: string): Promise<string> {
  const minted = await fetch(`${stack.fakePlatformUrl}/__fake/auth-codes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'dingtalk', userid }) });
  const { code } = z.object({ code: z.string() }).parse(await minted.json());
  const login = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'dingtalk', code }) });
  return z.object({ token: z.string() }).parse(await login.json()).token;
}

describe('dashboard on the phone', () => {
  let stack: TestStack;
  let browser: MobileBrowser;
  const chartRequests: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchMobileBrowser();
    browser.page.on('request', (request) => {
      if (/\/assets\/EChart-/.test(request.url())) chartRequests.push(request.url());
    });
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await saveScreenshot(browser.page, `dashboard-failed-${context.task.name.slice(0, 20)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('opens the workbench with today’s figures and no chart code', async () => {
    const { page } = browser;
    await page.goto(stack.url);
    await page.locator('[data-userid="wanglei01"]').click();
    await page.locator('.workbench__greeting').waitFor();
    await page.getByTestId('workbench-item-approvals').waitFor();

    const approvals = await page.getByTestId('workbench-item-approvals').textContent();
    expect(approvals).toMatch(/待我审批\s*\d+/);
    await saveScreenshot(page, 'workbench-today');
    expect(chartRequests).toEqual([]);
  });

  it('shows a manager the funnel and opens a stage’s opportunities', async () => {
    const { page } = browser;
    await page.locator('.van-tabbar-item', { hasText: '看板' }).click();
    await page.getByTestId('kpi-receiptsFen').waitFor();
    await page.getByTestId('dashboard-funnel').locator('canvas').waitFor();
    expect(chartRequests.length).toBeGreaterThan(0);
    expect(await page.getByTestId('dashboard-subject').textContent()).toContain('华东片区');
    await saveScreenshot(page, 'dashboard-manager');

    const token = await apiLogin(stack, 'wanglei01');
    const response = await fetch(`${stack.url}/api/dashboard`, { headers: { authorization: `Bearer ${token}` } });
    const dashboard = dashboardSchema.parse(await response.json());
    const stage = dashboard.funnel.stages.find((item) => item.stage !== 'lost' && item.count > 0);
    expect(stage).toBeDefined();

    await page.getByTestId(`funnel-stage-${stage!.stage}`).click();
    await page.waitForURL(/#\/dashboard\/records\/opportunities\?stage=/);
    await page.getByTestId('record-opportunity').first().waitFor();
    await expect.poll(async () => page.getByTestId('dashboard-records').textContent()).toContain(`共 ${stage!.count} 条`);
    await saveScreenshot(page, 'dashboard-funnel-stage');

    await page.goBack();
    await page.getByTestId('kpi-receiptsFen').waitFor();
  });

  it('is readable at DingTalk PC width', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 1000, height: 760 });
    await page.getByTestId('dashboard-funnel').locator('canvas').waitFor();
    await saveScreenshot(page, 'dashboard-pc-width');
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it('shows the KPI table with its export', async () => {
    const { page } = browser;
    await page.goto(`${stack.url}/#/dashboard/kpis`);
    await page.locator('.kpi-table').waitFor();
    expect(await page.locator('.kpi-table tbody tr').count()).toBeGreaterThan(2);
    await saveScreenshot(page, 'dashboard-kpi-table');
  });

  it('shows the monthly targets of the team', async () => {
    const { page } = browser;
    await page.goto(`${stack.url}/#/dashboard/targets`);
    await page.locator('.targets__table').waitFor();
    await saveScreenshot(page, 'dashboard-targets');
  });

  it('shows a 馆配 project with its book list and fill rate', async () => {
    const owner = await launchMobileBrowser();
    try {
      await showLibraryProject(owner);
    } finally {
      await owner.close();
    }
    expect(browser.pageErrors).toEqual([]);
  });

  async function showLibraryProject(owner: MobileBrowser): Promise<void> {
    const { page } = owner;
    await page.goto(stack.url);
    await page.locator('[data-userid="xuting01"]').click();
    await page.locator('.workbench__greeting').waitFor();
    await page.goto(`${stack.url}/#/projects`);
    await page.locator('.project-card', { hasText: '浙江图书馆' }).first().waitFor();
    await saveScreenshot(page, 'projects-list');

    await page.locator('.project-card', { hasText: '浙江图书馆' }).first().click();
    await page.getByTestId('project-stage').waitFor();
    expect(await page.getByTestId('project-stage').textContent()).toContain('配送');
    await saveScreenshot(page, 'project-detail');

    await page.locator('.van-tab', { hasText: '书目' }).click();
    await page.getByTestId('fill-rate').waitFor();
    await saveScreenshot(page, 'project-book-list');

    await page.locator('.van-tab', { hasText: '配送' }).click();
    await page.getByTestId('deliveries').locator('.van-cell').first().waitFor();
    await saveScreenshot(page, 'project-deliveries');
    expect(owner.pageErrors).toEqual([]);
  }
});
