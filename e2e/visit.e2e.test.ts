import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { gcj02ToWgs84 } from '@shared/visit-rules';
import { launchMobileBrowser, saveScreenshot, type MobileBrowser } from './support/browser';
import { startTestStack, type TestStack } from './support/stack';

// A store in Nanjing's 鼓楼区, stored in GCJ-02 like the customer center stores every location.
const store = { name: '鼓楼区青少年图书馆', lat: 32.0663, lng: 118.7791 };
// The browser reports raw GPS: this is 40 m north of the store's door once converted.
const door = gcj02ToWgs84({ latitude: store.lat + 40 / 111_195, longitude: store.lng });

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
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.method && init.method !== 'GET' ? { 'idempotency-key': randomUUID() } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const body: unknown = await response.json();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${urlPath} → ${response.status} ${JSON.stringify(body)}`);
  return schema.parse(body);
}

describe('store visit on the phone', () => {
  let stack: TestStack;
  let browser: MobileBrowser;
  let photoDir: string;
  let photoFile: string;
  let customerId: number;
  let isbns: string[];

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchMobileBrowser();

    const token = await apiLogin(stack, 'zhangwei01');
    const customer = await api(stack, token, '/api/customers', z.object({ id: z.number() }), {
      method: 'POST',
      body: { name: store.name, type: 'library', regionCode: '320106', address: '南京市鼓楼区中山北路 26 号', location: { lat: store.lat, lng: store.lng }, contacts: [{ name: '陈馆长', mobile: '13913900001', isKey: true }] },
    });
    customerId = customer.id;
    const books = await api(stack, token, '/api/books?status=on_sale&limit=100', z.object({ items: z.array(z.object({ isbn: z.string(), publisher: z.string().nullable() })) }));
    isbns = books.items.filter((book) => book.publisher === '江南文艺出版社').slice(0, 2).map((book) => book.isbn);
    expect(isbns).toHaveLength(2);

    photoDir = await mkdtemp(path.join(tmpdir(), 'crm-e2e-photo-'));
    photoFile = path.join(photoDir, 'shelf.jpg');
    await writeFile(photoFile, await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 180, g: 140, b: 90 } } }).jpeg().toBuffer());
  });

  afterEach(async (context) => {
    // A picture of the screen at the moment a step failed explains more than the timeout.
    if (context.task.result?.state === 'fail') await saveScreenshot(browser.page, `visit-failed-${context.task.name.slice(0, 20)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (photoDir) await rm(photoDir, { recursive: true, force: true });
  });

  it('offline visit arrives once after reconnect', async () => {
    const { page, context } = browser;
    await context.grantPermissions(['geolocation'], { origin: stack.url });
    await context.setGeolocation({ latitude: door.latitude, longitude: door.longitude, accuracy: 15 });

    await page.goto(stack.url);
    await page.locator('[data-userid="zhangwei01"]').click();
    await page.locator('.workbench__greeting').waitFor();

    await page.locator('.van-tabbar-item', { hasText: '拜访' }).click();
    await page.getByRole('button', { name: '到店签到' }).click();
    await page.getByPlaceholder('客户名称、简称或拼音首字母').fill('青少年图书馆');
    await page.locator(`[data-customer-id="${customerId}"]`).click();
    await expect.poll(() => page.getByTestId('check-in-place').textContent()).toContain('在签到范围内');
    await saveScreenshot(page, 'visit-check-in');

    // From here until the visit is submitted the phone has no network.
    await context.setOffline(true);
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await page.getByText('签到待上传').waitFor();

    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '拍照' }).click();
    await (await chooser).setFiles(photoFile);
    await page.getByTestId('draft-photo').waitFor();

    for (const isbn of isbns) {
      await page.getByRole('button', { name: '扫码添加' }).click();
      await page.getByPlaceholder('输入 ISBN（13 位或 10 位，可含连字符）').fill(`${isbn.slice(0, 3)}-${isbn.slice(3, 4)}-${isbn.slice(4, 8)}-${isbn.slice(8, 12)}-${isbn.slice(12)}`);
      await page.locator('.van-popup').getByRole('button', { name: '添加', exact: true }).click();
      await expect.poll(() => page.getByTestId('shelf-item').count()).toBe(isbns.indexOf(isbn) + 1);
    }
    await page.getByLabel('拜访结果').fill('同意在少儿阅览区设江南当代文学专架');
    await saveScreenshot(page, 'visit-form-offline');

    await page.getByRole('button', { name: '签退并提交' }).click();
    await page.getByRole('button', { name: '确认' }).click();
    await page.getByTestId('outbox-banner').waitFor();
    expect(await page.getByTestId('outbox-pending').textContent()).toBe('3');
    await saveScreenshot(page, 'visit-outbox-waiting');

    // Back online: the outbox sends check-in, photo and record; the visit shows up once.
    await context.setOffline(false);
    await page.getByTestId('outbox-banner').waitFor({ state: 'detached', timeout: 30_000 });
    const listed = page.locator('.visit-item', { hasText: store.name });
    await listed.first().waitFor();
    expect(await listed.count()).toBe(1);
    await saveScreenshot(page, 'visit-list-after-sync');

    const token = await apiLogin(stack, 'zhangwei01');
    const visits = await api(stack, token, `/api/visits?customerId=${customerId}`, z.object({ items: z.array(z.object({ id: z.number() })) }));
    expect(visits.items).toHaveLength(1);
    const visit = await api(
      stack,
      token,
      `/api/visits/${visits.items[0]!.id}`,
      z.object({ status: z.string(), photos: z.array(z.unknown()), outcome: z.string(), shelfCheck: z.object({ items: z.array(z.object({ isbn: z.string(), title: z.string().nullable() })) }) }),
    );
    expect(visit).toMatchObject({ status: 'checked_out', outcome: '同意在少儿阅览区设江南当代文学专架' });
    expect(visit.photos).toHaveLength(1);
    expect(visit.shelfCheck.items.map((item) => item.isbn)).toEqual(isbns);
    expect(visit.shelfCheck.items.every((item) => item.title !== null)).toBe(true);

    await listed.first().click();
    await page.getByTestId('shelf-check').waitFor();
    await page.locator('.visit-detail__photo img').waitFor();
    await saveScreenshot(page, 'visit-detail');

    // Requests refused while offline log console errors; anything else is a real page error.
    expect(browser.pageErrors.filter((error) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR/.test(error))).toEqual([]);
  });

  it('draft survives reload; workbench shows due items', async () => {
    const { page, context } = browser;
    const token = await apiLogin(stack, 'zhangwei01');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await api(stack, token, '/api/visit-plans', z.object({ id: z.number() }), { method: 'POST', body: { customerId, planDate: today, purpose: 'shelf_check', note: '复查少儿区陈列' } });

    // Three kilometres away the check-in is flagged and needs a reason; back at the door it is not.
    const away = gcj02ToWgs84({ latitude: store.lat + 3000 / 111_195, longitude: store.lng });
    await context.setGeolocation({ latitude: away.latitude, longitude: away.longitude, accuracy: 20 });
    await page.goto(`${stack.url}/#/visits/check-in?customerId=${customerId}`);
    await expect.poll(() => page.getByTestId('check-in-place').textContent()).toContain('超出');
    await page.getByText('请填写原因后再签到').waitFor();
    await saveScreenshot(page, 'visit-check-in-far');
    await context.setGeolocation({ latitude: door.latitude, longitude: door.longitude, accuracy: 15 });
    await page.getByRole('button', { name: '重新定位' }).click();
    await expect.poll(() => page.getByTestId('check-in-place').textContent()).toContain('在签到范围内');
    await page.getByRole('button', { name: '签到', exact: true }).click();
    await page.getByLabel('拜访记录').fill('少儿区新设了本社专架');
    await page.getByLabel('下一步').fill('下周送陈列插卡');
    // Closing the app: a full reload, after the half-second autosave.
    await page.waitForTimeout(800);
    await page.reload();
    await expect.poll(() => page.getByLabel('拜访记录').inputValue()).toBe('少儿区新设了本社专架');
    await page.goto(`${stack.url}/#/visits`);
    await page.getByTestId('draft-card').first().click();
    await expect.poll(() => page.getByLabel('拜访记录').inputValue()).toBe('少儿区新设了本社专架');
    await page.getByRole('button', { name: '签退并提交' }).click();
    await page.getByRole('button', { name: '确认' }).click();

    // The outbox sends the check-out in the background; wait until the server has it.
    const latestVisit = async () => (await api(stack, token, `/api/visits?customerId=${customerId}`, z.object({ items: z.array(z.object({ id: z.number(), status: z.string() })) }))).items[0]!;
    await expect.poll(async () => (await latestVisit()).status, { timeout: 15_000 }).toBe('checked_out');
    const latest = (await latestVisit()).id;
    await api(stack, token, `/api/visits/${latest}`, z.unknown(), { method: 'PUT', body: { purpose: 'shelf_check', notes: '少儿区新设了本社专架', nextStep: '下周送陈列插卡', followUpDate: today } });
    await page.locator('.van-tabbar-item', { hasText: '工作台' }).click();
    await page.getByTestId('workbench-follow-ups').waitFor();
    expect(await page.getByTestId('workbench-follow-ups').textContent()).toContain('下周送陈列插卡');
    await saveScreenshot(page, 'visit-workbench');

    await page.goto(`${stack.url}/#/visits/plans`);
    await page.getByText('复查少儿区陈列').waitFor();
    await saveScreenshot(page, 'visit-plans');

    await page.goto(`${stack.url}/#/visits?tab=follow-ups`);
    await page.getByTestId('follow-up').filter({ hasText: '下周送陈列插卡' }).waitFor();
    await saveScreenshot(page, 'visit-follow-ups');
  });

  it('manager sees team plans and visits', async () => {
    const { page } = browser;
    await page.goto(stack.url);
    await page.locator('.van-tabbar-item', { hasText: '我的' }).click();
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('button', { name: '确认' }).click();
    await page.locator('[data-userid="wanglei01"]').click();
    await page.locator('.workbench__greeting').waitFor();

    await page.goto(`${stack.url}/#/visits/team`);
    await page.getByTestId('team-rep').first().waitFor();
    await page.getByTestId('team-rep').filter({ hasText: '张伟' }).locator('button').click();
    await saveScreenshot(page, 'visit-team');

    expect(await page.getByTestId('team-rep').filter({ hasText: '张伟' }).textContent()).toMatch(/拜访 [1-9]/);
  });
});
