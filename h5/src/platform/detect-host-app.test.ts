import { describe, expect, it } from 'vitest';
import { detectHostApp } from './index';

describe('detectHostApp', () => {
  it('detects DingTalk', () => {
    const userAgent = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 AliApp(DingTalk/7.6.0) DingTalk/7.6.0';
    expect(detectHostApp(userAgent)).toBe('dingtalk');
  });

  it('detects WeCom', () => {
    const userAgent = 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/116.0 Mobile Safari/537.36 wxwork/4.1.20 MicroMessenger/7.0.1';
    expect(detectHostApp(userAgent)).toBe('wecom');
  });

  it('treats personal WeChat as a browser', () => {
    const userAgent = 'Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 MicroMessenger/8.0.40 NetType/WIFI';
    expect(detectHostApp(userAgent)).toBe('browser');
  });
});
