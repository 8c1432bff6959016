import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchMobileBrowser, saveScreenshot, type MobileBrowser } from './support/browser';
import { findDemoUserWithRole, startTestStack, type TestStack } from './support/stack';

describe('demo login', () => {
  let stack: TestStack;
  let browser: MobileBrowser;

  beforeAll(async () => {
    stack = await startTestStack();
    browser = await launchMobileBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('logs a rep in from the picker and out again', async () => {
    const { page } = browser;
    const rep = await findDemoUserWithRole(stack.fakePlatformUrl, 'rep');

    await page.goto(stack.url);
    const pickerHeading = page.getByRole('heading', { name: '选择演示账号' });
    await pickerHeading.waitFor();
    await page.locator(`[data-userid="${rep.userid}"]`).waitFor();
    await saveScreenshot(page, 'login-demo-picker');

    await page.locator(`[data-userid="${rep.userid}"]`).click();
    const greeting = page.locator('.workbench__greeting');
    await greeting.waitFor();
    expect(await greeting.textContent()).toContain(rep.name);
    expect(new URL(page.url()).hash).toBe('#/');
    await saveScreenshot(page, 'login-workbench-rep');

    await page.locator('.van-tabbar-item', { hasText: '我的' }).click();
    await page.getByRole('heading', { name: rep.name }).waitFor();
    await saveScreenshot(page, 'login-me');

    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByRole('button', { name: '确认' }).click();
    await pickerHeading.waitFor();
    expect(new URL(page.url()).hash).toBe('#/login/demo');
    // A string, because this file is compiled without DOM types.
    expect(await page.evaluate<string | null>("localStorage.getItem('crm.session')")).toBeNull();

    expect(browser.pageErrors).toEqual([]);
  });
});
