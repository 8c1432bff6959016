import type { PlatformMessage, PlatformTodo } from '../chat-platform.js';
import { truncateUtf8 } from '../message-text.js';

/**
 * NOTE: a 2019 DingTalk doc limits the whole `msg` of a work notification to 2048 bytes and current docs give no
 * number, so the markdown body is cut at 1500 bytes to leave room for title, button and URL.
 */
const MAX_MARKDOWN_BYTES = 1500;

/**
 * Wraps an H5 URL so DingTalk opens it inside the client: in the side panel on PC (pc_slide=true),
 * in the built-in browser on mobile.
 */
export function toDingTalkPageLink(url: string): string {
  return `dingtalk://dingtalkclient/page/link?url=${encodeURIComponent(url)}&pc_slide=true`;
}

/** Builds the `msg` of a work notification: an action_card with one button that opens `message.url`. */
export function buildActionCardMessage(message: PlatformMessage) {
  const sections = [`### ${message.title}`];
  if (message.text.trim() !== '') {
    sections.push(message.text);
  }
  for (const field of message.fields) {
    sections.push(`**${field.label}**：${field.value}`);
  }

  return {
    msgtype: 'action_card',
    action_card: {
      title: message.title,
      // DingTalk markdown needs a blank line to start a new paragraph.
      markdown: truncateUtf8(sections.join('\n\n'), MAX_MARKDOWN_BYTES),
      single_title: message.buttonText,
      single_url: toDingTalkPageLink(message.url),
    },
  };
}

/**
 * Builds the body of POST /v1.0/todo/users/{unionId}/tasks. The executor is also the creator (and the
 * operatorId), so the to-do sits in the executor's own list.
 */
export function buildTodoRequest(todo: PlatformTodo, executorUnionId: string) {
  return {
    sourceId: todo.sourceId,
    subject: todo.subject,
    description: todo.description,
    creatorId: executorUnionId,
    executorIds: [executorUnionId],
    dueTime: todo.dueAt ? todo.dueAt.getTime() : undefined,
    detailUrl: { appUrl: todo.url, pcUrl: toDingTalkPageLink(todo.url) },
    isOnlyShowExecutor: true,
  };
}
