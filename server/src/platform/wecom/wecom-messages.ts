import type { PlatformMessage } from '../chat-platform.js';
import { truncateCharacters, truncateUtf8 } from '../message-text.js';

/**
 * Limits of a textcard application message: title 128 bytes, description 512 bytes, button text 4 characters.
 * NOTE: these numbers are not confirmed against the current WeCom message/send doc.
 */
const MAX_TITLE_BYTES = 128;
const MAX_DESCRIPTION_BYTES = 512;
const MAX_BUTTON_CHARACTERS = 4;
const DEFAULT_BUTTON_TEXT = '详情';

/** Builds the `textcard` of a WeCom application message; the card opens `message.url` when tapped. */
export function buildTextCard(message: PlatformMessage) {
  const buttonText = truncateCharacters(message.buttonText.trim(), MAX_BUTTON_CHARACTERS);
  return {
    title: truncateUtf8(message.title, MAX_TITLE_BYTES),
    description: buildDescription(message),
    url: message.url,
    btntxt: buttonText === '' ? DEFAULT_BUTTON_TEXT : buttonText,
  };
}

/**
 * Builds the description from <div class="normal|highlight"> lines, the markup textcard accepts. The text
 * comes first and is cut to fit, then each "label：value" line is added while the 512-byte limit allows.
 */
function buildDescription(message: PlatformMessage): string {
  const lines: string[] = [];
  let used = 0;

  if (message.text.trim() !== '') {
    const wrapperBytes = Buffer.byteLength('<div class="normal"></div>', 'utf8');
    // A cut inside an entity such as "&amp;" would leave a broken one, so that partial entity is dropped.
    const text = truncateUtf8(escapeHtml(message.text), MAX_DESCRIPTION_BYTES - wrapperBytes).replace(/&[a-z]*…$/, '…');
    lines.push(`<div class="normal">${text}</div>`);
    used += Buffer.byteLength(lines[0] ?? '', 'utf8');
  }

  for (const field of message.fields) {
    const line = `<div class="highlight">${escapeHtml(field.label)}：${escapeHtml(field.value)}</div>`;
    const size = Buffer.byteLength(line, 'utf8');
    if (used + size > MAX_DESCRIPTION_BYTES) {
      break;
    }
    lines.push(line);
    used += size;
  }

  // WeCom rejects an empty description (errcode 41033), so a card with neither text nor fields repeats the title.
  if (lines.length === 0) {
    return truncateUtf8(escapeHtml(message.title), MAX_DESCRIPTION_BYTES);
  }
  return lines.join('');
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
