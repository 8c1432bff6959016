import { describe, expect, it } from 'vitest';
import { computeJsapiSignature, createJsapiNonce, stripFragment } from './jsapi-signature.js';

describe('computeJsapiSignature', () => {
  it('matches the official WeCom vector', () => {
    // developer.work.weixin.qq.com/document/path/90506
    const signature = computeJsapiSignature({
      ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
      nonceStr: 'Wm3WZYTPz0wzccnW',
      timestamp: 1414587457,
      url: 'http://mp.weixin.qq.com?params=value',
    });
    expect(signature).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });

  it('reproduces the DingTalk doc example', () => {
    // The DingTalk doc publishes these inputs without an output; the value is computed locally as regression data.
    const signature = computeJsapiSignature({
      ticket: 'mS5k98fdkdgDKxkXGEs8LORVREiweeWETE40P37wkidkfksDSKDJFD5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcKIDU8l',
      nonceStr: 'Zn4zmLFKD0wzilzM',
      timestamp: '1414588745',
      url: 'http://open.dingtalk.com',
    });
    expect(signature).toBe('10de2b0a6763ec3685a50272b5b0eb2848098dc2');
  });

  it('ignores the URL fragment', () => {
    const base = {
      ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
      nonceStr: 'Wm3WZYTPz0wzccnW',
      timestamp: 1414587457,
    };
    const withFragment = computeJsapiSignature({ ...base, url: 'http://mp.weixin.qq.com?params=value#/customers/12' });
    expect(withFragment).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });
});

describe('stripFragment', () => {
  it('keeps the query and drops the fragment', () => {
    expect(stripFragment('https://crm.example.com/h5/?corpId=ding1#/approvals?tab=todo')).toBe(
      'https://crm.example.com/h5/?corpId=ding1',
    );
  });

  it('returns a URL without fragment unchanged', () => {
    expect(stripFragment('https://crm.example.com/h5/')).toBe('https://crm.example.com/h5/');
  });
});

describe('createJsapiNonce', () => {
  it('returns 16 alphanumeric characters', () => {
    expect(createJsapiNonce()).toMatch(/^[A-Za-z0-9]{16}$/);
  });

  it('returns a different value each call', () => {
    expect(createJsapiNonce()).not.toBe(createJsapiNonce());
  });
});
