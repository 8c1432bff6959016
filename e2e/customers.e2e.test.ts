import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchMobileBrowser, saveScreenshot, type MobileBrowser } from './support/browser';
import { startTestStack, type TestStack } from './support/stack';

// 王磊 (wanglei01) leads 华东片区, whose reps own the 南京 and 苏州 Xinhua stores among twenty-odd customers;
// 孙丽 (sunli01, 华北片区) owns 北京市新华书店王府井书店; the pool contains ten customers such as 徐州新华书店淮海路店.

async function importWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('客户导入');
  sheet.addRow(['客户名称*', '客户类型*', '统一社会信用代码', '省*', '市', '区县', '联系人姓名', '联系人手机']);
  sheet.addRow(['连云港市海州区图书馆', '馆配', '', '江苏省', '连云港市', '海州区', '孙晨', '13961300012']);
  sheet.addRow(['淮安市清江浦区实验小学', '学校', '', '江苏省', '淮安市', '清江浦区', '钱悦', '13961300013']);
  sheet.addRow(['宿迁不存在书店', '网店', '', '江苏省', '宿迁市', '', '李', '139']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('customer center on the phone', () => {
  let stack: TestStack;
  let browser: MobileBrowser;
  let fileDir: string;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchMobileBrowser();
    fileDir = await mkdtemp(path.join(tmpdir(), 'crm-e2e-import-'));
  });

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await saveScreenshot(browser.page, `customers-failed-${context.task.name.slice(0, 20)}`);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (fileDir) await rm(fileDir, { recursive: true, force: true });
  });

  it('lists, searches by pinyin initials and filters, then keeps the scroll position after a detail', async () => {
    const { page } = browser;
    await page.goto(stack.url);
    await page.locator('[data-userid="wanglei01"]').click();
    await page.locator('.workbench__greeting').waitFor();

    await page.locator('.van-tabbar-item', { hasText: '客户' }).click();
    await page.getByTestId('customer-item').first().waitFor();
    await saveScreenshot(page, 'customers-list');

    await page.getByTestId('customer-search').locator('input').fill('xhsd');
    await expect.poll(async () => (await page.getByTestId('customer-item').allTextContents()).every((text) => text.includes('新华书店'))).toBe(true);
    const names = await page.getByTestId('customer-item').allTextContents();
    expect(names.join('|')).toContain('南京市新华书店有限公司鼓楼分店');
    await saveScreenshot(page, 'customers-search-pinyin');

    await page.getByTestId('customer-search').locator('input').fill('');
    await page.getByTestId('chip-type').click();
    await page.locator('.van-popup').getByRole('button', { name: '新华书店' }).click();
    await page.getByTestId('apply-type').click();
    await expect.poll(async () => (await page.getByTestId('customer-item').allTextContents()).every((text) => text.includes('新华书店'))).toBe(true);
    await saveScreenshot(page, 'customers-filter-type');

    // Clear the filter, scroll down, open a customer and come back: same place in the list.
    await page.getByTestId('chip-type').click();
    await page.locator('.van-popup').getByRole('button', { name: '不限' }).click();
    await expect.poll(() => page.getByTestId('customer-item').count()).toBeGreaterThan(12);
    await page.mouse.wheel(0, 600);
    await page.waitForTimeout(300);
    const scrolled = Number(await page.evaluate('window.scrollY'));
    expect(scrolled).toBeGreaterThan(200);
    const item = page.getByTestId('customer-item').nth(6);
    await item.click();
    await page.getByTestId('customer-name').waitFor();
    await page.goBack();
    await page.getByTestId('customer-item').first().waitFor();
    await expect.poll(async () => Number(await page.evaluate('window.scrollY'))).toBeGreaterThan(scrolled - 40);
  });

  it('shows the 360 view with contacts to call, timeline and discount agreement', async () => {
    const { page } = browser;
    await page.getByTestId('customer-search').locator('input').fill('鼓楼分店');
    await page.getByTestId('customer-item').filter({ hasText: '南京市新华书店有限公司鼓楼分店' }).click();
    await page.getByTestId('customer-name').waitFor();
    await saveScreenshot(page, 'customer-detail');

    await page.getByRole('tab', { name: '联系人' }).click();
    await page.getByTestId('contact-card').first().waitFor();
    expect(await page.getByTestId('call-mobile').first().getAttribute('href')).toMatch(/^tel:1\d{10}$/);
    await saveScreenshot(page, 'customer-contacts');

    await page.getByRole('tab', { name: '时间线' }).click();
    await page.getByTestId('timeline-entry').first().waitFor();
    await saveScreenshot(page, 'customer-timeline');

    await page.getByRole('tab', { name: '折扣协议' }).click();
    await page.getByTestId('agreement').first().waitFor();
    expect(await page.getByTestId('agreement').first().textContent()).toContain('6.5折');
    await saveScreenshot(page, 'customer-discount');
  });

  it('stops a duplicate with only owner, stage and date, and creates a new customer with a real region', async () => {
    const { page } = browser;
    await page.goto(`${stack.url}/#/customers/new`);
    await page.getByTestId('field-name').locator('input').fill('北京市新华书店王府井书店');
    await page.getByTestId('field-credit-code').locator('input').click();
    await page.getByTestId('duplicate-notice').waitFor();
    const notice = await page.getByTestId('duplicate-notice').textContent();
    expect(notice).toMatch(/负责人 孙丽，阶段：成交客户，自 \d{4}-\d{2}-\d{2} 起负责/);
    expect(notice).not.toMatch(/1\d{10}/);
    await saveScreenshot(page, 'customer-duplicate');
    await page.getByTestId('request-collaboration').click();
    await page.getByText('已申请，等待负责人处理').waitFor();

    await page.getByTestId('field-name').locator('input').fill('南京鼓楼晓读书店有限公司');
    await page.getByTestId('field-credit-code').locator('input').fill('91320106MA1XYZ123');
    await page.getByTestId('save-customer').click();
    await page.getByText('统一社会信用代码应为 18 位').waitFor();
    await page.getByTestId('field-credit-code').locator('input').fill('');
    await page.getByRole('radio', { name: '其他' }).click();

    await page.getByTestId('field-region').click();
    await page.locator('.van-cascader').getByText('江苏省').click();
    await page.locator('.van-cascader').getByText('南京市').click();
    await page.locator('.van-cascader').getByText('鼓楼区').click();
    await expect.poll(() => page.getByTestId('field-region').textContent()).toContain('江苏省 南京市 鼓楼区');
    await page.getByTestId('field-contact-name').locator('input').fill('周晓读');
    await page.getByTestId('field-mobile').locator('input').fill('139 5180 9911');
    await saveScreenshot(page, 'customer-form');
    await page.getByTestId('save-customer').click();
    await page.getByTestId('customer-name').waitFor();
    expect(await page.getByTestId('customer-name').textContent()).toBe('南京鼓楼晓读书店有限公司');
  });

  it('claims a pool customer', async () => {
    const { page } = browser;
    await page.goto(`${stack.url}/#/customers?view=pool`);
    await page.getByTestId('customer-item').filter({ hasText: '徐州新华书店淮海路店' }).click();
    await page.getByTestId('claim').click();
    await page.getByRole('button', { name: '确认' }).click();
    await page.getByText('负责人').first().waitFor();
    await expect.poll(() => page.locator('.header-card').textContent()).toContain('王磊');
    await saveScreenshot(page, 'customer-claimed');
  });

  it('imports a file: dry-run report per row, then the good rows', async () => {
    const { page } = browser;
    const file = path.join(fileDir, '客户.xlsx');
    await writeFile(file, await importWorkbook());
    await page.goto(`${stack.url}/#/customers/import`);
    // Vant's uploader lays its file input over the button; set the file on the input as a tap would.
    await page.locator('.van-uploader input[type="file"]').setInputFiles(file);
    await page.getByTestId('commit-import').waitFor();
    const errors = await page.getByTestId('import-error').allTextContents();
    expect(errors.join('|')).toContain('第 4 行 · 客户类型');
    await saveScreenshot(page, 'customer-import-report');

    await page.getByTestId('commit-import').click();
    await page.getByRole('button', { name: '确认' }).click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-done').textContent()).toContain('已导入 2 个客户');
    await saveScreenshot(page, 'customer-import-done');
  });

  it('answers a rep of another team that the customer does not exist, and shows the owner the request', async () => {
    const { page } = browser;
    await page.goto(`${stack.url}/#/customers?view=mine`);
    const detailUrl = await page.getByTestId('customer-item').first().getAttribute('href');

    await page.evaluate('localStorage.clear()');
    await page.goto(stack.url);
    await page.locator('[data-userid="sunli01"]').click();
    await page.locator('.workbench__greeting').waitFor();
    await page.goto(`${stack.url}/${detailUrl}`);
    await page.getByText('客户不存在，或不在您的查看范围内。').waitFor();

    await page.goto(`${stack.url}/#/customers/requests`);
    await page.getByTestId('collaboration-request').first().waitFor();
    await saveScreenshot(page, 'customer-requests');
    expect(browser.pageErrors.filter((error) => !error.includes('404'))).toEqual([]);
  });
});
