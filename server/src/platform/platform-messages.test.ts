import { describe, expect, it } from 'vitest';
import type { PlatformMessage } from './chat-platform.js';
import { buildActionCardMessage, buildTodoRequest, toDingTalkPageLink } from './dingtalk/dingtalk-messages.js';
import { chunk, mapWithConcurrency, truncateCharacters, truncateUtf8 } from './message-text.js';
import { buildTextCard } from './wecom/wecom-messages.js';

const message: PlatformMessage = {
  toUserIds: ['zhangwei01'],
  title: '特价审批结果',
  text: '你提交的特殊折扣已通过。',
  fields: [
    { label: '客户', value: '南京先锋书店' },
    { label: '折扣', value: '5.8折' },
  ],
  url: 'https://crm.example.com/h5/#/quotes/9?tab=lines',
  buttonText: '查看报价单',
};

describe('truncateUtf8', () => {
  it('keeps short text unchanged', () => {
    expect(truncateUtf8('江南文艺', 12)).toBe('江南文艺');
  });

  it('cuts at a character boundary', () => {
    // Each CJK character is 3 bytes and the ellipsis too, so 10 bytes leave room for two characters.
    expect(truncateUtf8('江南文艺出版社', 10)).toBe('江南…');
  });
});

describe('truncateCharacters', () => {
  it('counts characters, not bytes', () => {
    expect(truncateCharacters('查看报价单', 4)).toBe('查看报价');
  });
});

describe('chunk', () => {
  it('splits into groups of the given size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('mapWithConcurrency', () => {
  it('keeps input order and the limit', async () => {
    let running = 0;
    let maxRunning = 0;

    const results = await mapWithConcurrency([30, 5, 20, 1, 10], 2, async (delayMs) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      running -= 1;
      return delayMs * 2;
    });

    expect(results).toEqual([60, 10, 40, 2, 20]);
    expect(maxRunning).toBe(2);
  });
});

describe('buildActionCardMessage', () => {
  it('renders title, text and fields as markdown', () => {
    const card = buildActionCardMessage(message).action_card;

    expect(card.markdown).toBe('### 特价审批结果\n\n你提交的特殊折扣已通过。\n\n**客户**：南京先锋书店\n\n**折扣**：5.8折');
    expect(card.single_title).toBe('查看报价单');
  });

  it('wraps the URL for the side panel', () => {
    const card = buildActionCardMessage(message).action_card;

    expect(card.single_url).toBe(
      'dingtalk://dingtalkclient/page/link?url=https%3A%2F%2Fcrm.example.com%2Fh5%2F%23%2Fquotes%2F9%3Ftab%3Dlines&pc_slide=true',
    );
  });

  it('limits the markdown to 1500 bytes', () => {
    const card = buildActionCardMessage({ ...message, text: '长'.repeat(1000) }).action_card;

    expect(Buffer.byteLength(card.markdown, 'utf8')).toBeLessThanOrEqual(1500);
    expect(card.markdown.endsWith('…')).toBe(true);
  });
});

describe('buildTodoRequest', () => {
  it('addresses the executor by unionid', () => {
    const request = buildTodoRequest(
      { sourceId: 'approval-task-5', executorUserId: 'zhangwei01', subject: '审批', description: '', url: 'https://crm.example.com/h5/', dueAt: null },
      'union-1',
    );

    expect(request.creatorId).toBe('union-1');
    expect(request.executorIds).toEqual(['union-1']);
    expect(request.dueTime).toBeUndefined();
    expect(request.detailUrl).toEqual({ appUrl: 'https://crm.example.com/h5/', pcUrl: toDingTalkPageLink('https://crm.example.com/h5/') });
  });
});

describe('buildTextCard', () => {
  it('renders text and fields as divs', () => {
    const card = buildTextCard(message);

    expect(card.description).toBe(
      '<div class="normal">你提交的特殊折扣已通过。</div><div class="highlight">客户：南京先锋书店</div><div class="highlight">折扣：5.8折</div>',
    );
    expect(card.url).toBe(message.url);
  });

  it('limits the button text to 4 characters', () => {
    expect(buildTextCard(message).btntxt).toBe('查看报价');
    expect(buildTextCard({ ...message, buttonText: ' ' }).btntxt).toBe('详情');
  });

  it('escapes HTML in text and fields', () => {
    const card = buildTextCard({ ...message, text: '<b>A&B</b>', fields: [{ label: '备注', value: '1<2' }] });

    expect(card.description).toBe('<div class="normal">&lt;b&gt;A&amp;B&lt;/b&gt;</div><div class="highlight">备注：1&lt;2</div>');
  });

  it('limits the description to 512 bytes', () => {
    const card = buildTextCard({ ...message, text: '字'.repeat(300) });

    expect(Buffer.byteLength(card.description, 'utf8')).toBeLessThanOrEqual(512);
    expect(card.description.endsWith('…</div>')).toBe(true);
  });

  it('uses the title when there is no text', () => {
    expect(buildTextCard({ ...message, text: '', fields: [] }).description).toBe('特价审批结果');
  });
});
