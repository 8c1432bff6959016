import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { launchMobileBrowser, saveScreenshot, type MobileBrowser } from './support/browser';
import { listDemoUsers, startTestStack, type TestStack } from './support/stack';

async function apiLogin(stack: TestStack, userid: string): Promise<string> {
  const minted = await fetch(`${stack.fakePlatformUrl}/__fake/auth-codes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'dingtalk', userid }) });
  const { code } = z.object({ code: z.string() }).parse(await minted.json());
  const login = await fetch(`${stack.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform: 'dingtalk', code }) });
  return z.object({ token: z.string() }).parse(await login.json()).token;
}

async function api<T extends z.ZodType>(stack: TestStack, token: string, urlPath: string, schema: T): Promise<z.infer<T>> {
  const response = await fetch(`${stack.url}${urlPath}`, { headers: { authorization: `Bearer ${token}` } });
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(`GET ${urlPath} → ${response.status} ${JSON.stringify(body)}`);
  return schema.parse(body);
}

const linkListSchema = z.object({ items: z.array(z.object({ id: z.number(), refType: z.string(), refId: z.number(), title: z.string() })) });

describe('project links and closing on the phone', () => {
  let stack: TestStack;
  let browser: MobileBrowser;
  let token: string;
  let projectId: number;
  let ownerId: string;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchMobileBrowser();

    // The demo links a visit, quote, contract and receipt to one project; find it and its owner.
    const admin = await apiLogin(stack, 'chenguodong01');
    const projects = await api(stack, admin, '/api/projects?limit=50', z.object({ items: z.array(z.object({ id: z.number(), name: z.string(), owner: z.object({ id: z.number() }) })) }));
    const linked = projects.items.find((project) => project.name.endsWith('年度重点合作'));
    expect(linked, 'demo project with linked records').toBeDefined();
    projectId = linked!.id;
    const users = await listDemoUsers(stack.fakePlatformUrl);
    const detail = await api(stack, admin, `/api/projects/${projectId}`, z.object({ owner: z.object({ name: z.string() }) }));
    ownerId = users.find((user) => user.name === detail.owner.name)!.userid;
    token = await apiLogin(stack, ownerId);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('links another visit from the project and shows it on the visit page', async () => {
    const { page } = browser;
    await page.goto(stack.url);
    await page.locator(`[data-userid="${ownerId}"]`).click();
    await page.locator('.workbench__greeting').waitFor();

    await page.goto(`${stack.url}/#/projects/${projectId}?tab=links`);
    await page.getByTestId('add-link').click();
    const picker = page.getByTestId('link-picker');
    await picker.getByTestId('link-candidate').first().waitFor();
    const unlinked = picker.getByTestId('link-candidate').filter({ has: page.getByRole('button', { name: '关联', exact: true }) }).first();
    await unlinked.getByRole('button', { name: '关联', exact: true }).click();
    await expect.poll(async () => (await api(stack, token, `/api/projects/${projectId}/links`, linkListSchema)).items.length).toBe(5);
    await saveScreenshot(page, 'projects-link-picker');

    const links = await api(stack, token, `/api/projects/${projectId}/links`, linkListSchema);
    const visit = links.items.find((link) => link.refType === 'visit')!;
    await page.goto(`${stack.url}/#/visits/${visit.refId}`);
    await page.getByTestId('link-to-project').click();
    const target = page.getByTestId('link-target').first();
    await expect.poll(async () => target.innerText()).toContain('已关联');
    await saveScreenshot(page, 'projects-visit-link-targets');
  });

  it('asks for a reason before cancelling the project', async () => {
    const { page } = browser;
    await page.goto(`${stack.url}/#/projects/${projectId}`);
    await page.getByTestId('cancel-project').click();
    const form = page.getByTestId('project-status-form');
    await form.getByTestId('project-status-save').click();
    await expect.poll(async () => form.innerText()).toContain('请填写取消原因');

    await form.locator('textarea').fill('客户改由总店统一采购，本项目停止');
    await form.getByTestId('project-status-save').click();
    await expect.poll(async () => page.getByTestId('project-closure').innerText()).toContain('客户改由总店统一采购');
    await saveScreenshot(page, 'projects-cancelled');
    expect(browser.pageErrors).toEqual([]);
  });

  it('imports a school order sheet after a dry run', async () => {
    const { page } = browser;
    const teacher = await apiLogin(stack, 'zhengkai01');
    const projects = await api(stack, teacher, '/api/projects?kind=textbook_subscription', z.object({ items: z.array(z.object({ id: z.number() })) }));
    const subscriptionId = projects.items[0]!.id;
    const ordersSchema = z.object({ items: z.array(z.object({ isbn: z.string(), title: z.string() })) });
    const before = await api(stack, teacher, `/api/projects/${subscriptionId}/subscription/orders`, ordersSchema);
    const book = before.items[0]!;

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('征订');
    sheet.addRow(['课程', '班级', 'ISBN', '书名', '数量']);
    sheet.addRow(['语文', '高三(9)班', book.isbn, book.title, 38]);
    sheet.addRow(['语文', '高三(9)班', '9787000000000', '', 38]);
    const content = Buffer.from(await workbook.xlsx.writeBuffer());

    await page.goto(stack.url);
    await page.evaluate('localStorage.clear()');
    await page.goto(stack.url);
    await page.locator('[data-userid="zhengkai01"]').click();
    await page.locator('.workbench__greeting').waitFor();
    await page.goto(`${stack.url}/#/projects/${subscriptionId}?tab=subscription`);
    await page.getByText('从 Excel 导入订单').waitFor();
    await page.locator('input[type=file]').setInputFiles({ name: '高三补订.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: content });

    const dialog = page.locator('.van-dialog');
    await expect.poll(async () => dialog.innerText()).toContain('新增 1 条');
    expect(await dialog.innerText()).toContain('第 3 行「ISBN」');
    await saveScreenshot(page, 'projects-subscription-import');
    await dialog.getByRole('button', { name: '导入' }).click();
    await expect.poll(async () => (await api(stack, teacher, `/api/projects/${subscriptionId}/subscription/orders`, ordersSchema)).items.length).toBe(before.items.length + 1);
  });
});
