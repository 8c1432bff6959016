import { execFile } from 'node:child_process';
import { pinyin } from 'pinyin-pro';
import sharp from 'sharp';
import { toHalfWidth } from '@shared/isbn.js';
import { formatDistance, PHOTO_UPLOAD_MAX_EDGE_PX, type CheckInLocationStatus } from '@shared/visit-rules.js';

/**
 * The visible stamp on the copy of a visit photo that managers see: check-in time in the tenant's zone,
 * the customer's name, and where the rep stood. The text is an SVG band composited by sharp (librsvg
 * renders it through fontconfig), so Chinese needs a CJK font on the server (Debian: fonts-noto-cjk).
 * Without one the stamp falls back to ASCII: pinyin names and English labels, never tofu boxes.
 */
export interface WatermarkFacts {
  checkInAt: string;
  timeZone: string;
  customerName: string;
  repName: string;
  distanceM: number | null;
  locationStatus: CheckInLocationStatus;
  delayedUpload: boolean;
}

const FONT_FAMILIES = `'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','WenQuanYi Micro Hei','Droid Sans Fallback',sans-serif`;
const THUMBNAIL_EDGE_PX = 360;
/** Refuse decompression bombs: a phone photo has at most about 50 megapixels. */
export const MAX_INPUT_PIXELS = 60_000_000;

let cjkFontCheck: Promise<boolean> | undefined;

/** Checks once per process whether fontconfig lists a font that covers Chinese. */
export function hasCjkFont(): Promise<boolean> {
  cjkFontCheck ??= new Promise((resolve) => {
    execFile('fc-list', [':lang=zh', 'family'], { timeout: 3000 }, (error, stdout) => resolve(!error && stdout.trim().length > 0));
  });
  return cjkFontCheck;
}

export function watermarkLines(facts: WatermarkFacts, cjk: boolean): string[] {
  const time = formatLocalMinute(facts.checkInAt, facts.timeZone);
  let zoneLabel = facts.timeZone;
  if (facts.timeZone === 'Asia/Shanghai') zoneLabel = cjk ? '北京时间' : 'UTC+8';
  if (!cjk) {
    return [`Check-in ${time} (${zoneLabel})${facts.delayedUpload ? ' offline' : ''}`, toPinyin(facts.customerName), `${toPinyin(facts.repName)} - ${placeLabelAscii(facts)}`];
  }
  return [`签到 ${time}（${zoneLabel}）${facts.delayedUpload ? ' 离线补传' : ''}`, facts.customerName, `${facts.repName} · ${placeLabel(facts)}`];
}

function placeLabel(facts: WatermarkFacts): string {
  if (facts.locationStatus === 'device_unlocated') return '未获取到定位';
  if (facts.distanceM === null) return '客户未标注位置';
  return `距门店 ${formatDistance(facts.distanceM)}${facts.locationStatus === 'far' ? '（超出签到范围）' : ''}`;
}

function placeLabelAscii(facts: WatermarkFacts): string {
  if (facts.locationStatus === 'device_unlocated') return 'no location';
  if (facts.distanceM === null) return 'store location unknown';
  const distance = facts.distanceM < 1000 ? `${facts.distanceM} m` : `${(facts.distanceM / 1000).toFixed(1)} km`;
  return `${distance} from store${facts.locationStatus === 'far' ? ' (outside radius)' : ''}`;
}

/** Pinyin with full-width punctuation folded to ASCII; anything else outside ASCII is dropped. */
function toPinyin(text: string): string {
  return toHalfWidth(pinyin(text, { toneType: 'none', nonZh: 'consecutive', v: true }))
    .replace(/[^\x20-\x7E]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')')
    .trim();
}

/** 'YYYY-MM-DD HH:mm' of an instant in a time zone. */
export function formatLocalMinute(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(instant));
  const part = (type: string) => parts.find((item) => item.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[character] ?? character);
}

/** Cuts a line to what fits the width, estimating CJK glyphs as one em and others as 0.54 em. */
function fitLine(text: string, fontSize: number, maxWidth: number): string {
  let width = 0;
  let result = '';
  for (const character of text) {
    width += (/[\u2E80-\uFFEF]/.test(character) ? 1 : 0.54) * fontSize;
    if (width > maxWidth - fontSize / 2) return `${result}…`;
    result += character;
  }
  return result;
}

export function watermarkSvg(width: number, lines: string[]): { svg: Buffer; height: number } {
  const fontSize = Math.max(14, Math.min(48, Math.round(width / 28)));
  const lineHeight = Math.round(fontSize * 1.4);
  const padding = Math.round(fontSize * 0.6);
  const height = lines.length * lineHeight + padding * 2;
  const shadow = Math.max(1, Math.round(fontSize / 16));

  const texts = lines.map((line, index) => {
    const y = padding + (index + 1) * lineHeight - Math.round(lineHeight * 0.3);
    const content = escapeXml(fitLine(line, fontSize, width - padding * 2));
    const weight = index === 1 ? 700 : 400;
    return `<text x="${padding + shadow}" y="${y + shadow}" fill="#000" fill-opacity="0.6" font-weight="${weight}">${content}</text><text x="${padding}" y="${y}" fill="#fff" font-weight="${weight}">${content}</text>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#000" fill-opacity="0.42"/><g font-family="${FONT_FAMILIES}" font-size="${fontSize}">${texts.join('')}</g></svg>`;
  return { svg: Buffer.from(svg), height };
}

/**
 * Builds the two derived copies of an original: the upright, at most 1600 px watermarked JPEG that the
 * app shows, and a square thumbnail of it for lists.
 */
export async function renderWatermarkedCopies(original: Buffer, facts: WatermarkFacts, cjk: boolean): Promise<{ watermarked: Buffer; thumbnail: Buffer }> {
  const upright = await sharp(original, { limitInputPixels: MAX_INPUT_PIXELS })
    .rotate()
    .resize({ width: PHOTO_UPLOAD_MAX_EDGE_PX, height: PHOTO_UPLOAD_MAX_EDGE_PX, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toBuffer({ resolveWithObject: true });

  const band = watermarkSvg(upright.info.width, watermarkLines(facts, cjk));
  const watermarked = await sharp(upright.data)
    .composite([{ input: band.svg, gravity: 'south' }])
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer();

  const thumbnail = await sharp(watermarked).resize({ width: THUMBNAIL_EDGE_PX, height: THUMBNAIL_EDGE_PX, fit: 'cover' }).jpeg({ quality: 72 }).toBuffer();
  return { watermarked, thumbnail };
}
