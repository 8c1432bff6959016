import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BookCategory, BookStatus } from '../../shared/src/api/book.js';
import { isbn13CheckDigit } from '../../shared/src/isbn.js';
import { parseYuanToFen } from '../../shared/src/money.js';
import { readCsv } from '../../shared/src/test-support/read-csv.js';
import { toBookRow } from '../../server/src/modules/book/book.service.js';
import { findBookByIsbn, insertBook } from '../../server/src/modules/book/book.repository.js';
import type { DemoSeedContext, DemoSeedStep } from './demo-data.js';

/**
 * The demo catalog, in two parts.
 *
 * 1. Real library records: shared/fixtures/dp2_books_flat.csv, flattened from the CNMARC and MARC21
 *    samples of the DigitalPlatform/dp2 project (Apache License 2.0; see
 *    shared/fixtures/LICENSE-dp2-Apache-2.0.txt and shared/fixtures/README.md). They keep their real
 *    ISBN, title, publisher and price; records without a valid ISBN or a price are left out, because a
 *    catalog title needs both. Being 1990s and 2000s editions, they are shown as 停售.
 * 2. Sixty titles of 江南文艺出版社, the demo's fictional provincial publisher. The titles, series, prices
 *    and dates are invented. Their ISBNs use the registrant prefix 978-7-5399 (the format of a real
 *    provincial literature publisher's block) with check digits computed by shared/src/isbn.ts, so they
 *    scan and validate like real ones; they may coincide with real books of that registrant.
 */

const fixtureFile = fileURLToPath(new URL('../../shared/fixtures/dp2_books_flat.csv', import.meta.url));
const ownPublisher = '江南文艺出版社';
const registrant = '97875399';

type OwnTitle = [title: string, category: BookCategory, series: string | null, priceYuan: string, author: string];

const ownTitles: OwnTitle[] = [
  ['江南乡土文化读本（小学三年级）', 'textbook', '地方课程教材', '12.50', '本书编写组'],
  ['江南乡土文化读本（小学四年级）', 'textbook', '地方课程教材', '12.80', '本书编写组'],
  ['江南乡土文化读本（初中一年级）', 'textbook', '地方课程教材', '15.60', '本书编写组'],
  ['书法练习指导（三年级上册）', 'textbook', '书法练习指导', '6.80', '周墨林'],
  ['书法练习指导（三年级下册）', 'textbook', '书法练习指导', '6.80', '周墨林'],
  ['书法练习指导（四年级上册）', 'textbook', '书法练习指导', '7.20', '周墨林'],
  ['中职语文（基础模块 上册）', 'textbook', '中等职业教育规划教材', '35.80', '陆文清'],
  ['中职语文（基础模块 下册）', 'textbook', '中等职业教育规划教材', '35.80', '陆文清'],
  ['大学写作教程', 'textbook', '高等院校通识教材', '42.00', '沈知秋'],
  ['幼儿园美术活动指导', 'textbook', null, '29.00', '顾小禾'],
  ['小学语文同步阅读 三年级上', 'teaching_aid', '同步阅读', '22.00', '江南教育研究所'],
  ['小学语文同步阅读 三年级下', 'teaching_aid', '同步阅读', '22.00', '江南教育研究所'],
  ['小学语文同步阅读 四年级上', 'teaching_aid', '同步阅读', '23.00', '江南教育研究所'],
  ['初中古诗文精讲精练 七年级', 'teaching_aid', '古诗文精讲精练', '32.00', '钱慕白'],
  ['初中古诗文精讲精练 八年级', 'teaching_aid', '古诗文精讲精练', '32.00', '钱慕白'],
  ['初中古诗文精讲精练 九年级', 'teaching_aid', '古诗文精讲精练', '34.00', '钱慕白'],
  ['中考语文作文素材（2025版）', 'teaching_aid', '中考冲刺', '39.80', '许一帆'],
  ['高考语文现代文阅读专项', 'teaching_aid', '高考专项突破', '42.80', '许一帆'],
  ['小学生必背古诗词75首（注音版）', 'teaching_aid', null, '18.00', '江南教育研究所'],
  ['寒假作业 七年级语文', 'teaching_aid', '快乐假期', '9.50', '江南教育研究所'],
  ['暑假作业 八年级语文', 'teaching_aid', '快乐假期', '9.80', '江南教育研究所'],
  ['小学英语分级阅读 第一级', 'teaching_aid', '分级阅读', '26.00', '林晓岚'],
  ['运河人家', 'general', '江南当代文学书系', '58.00', '沈一舟'],
  ['烟雨长街', 'general', '江南当代文学书系', '49.00', '叶青禾'],
  ['梅雨季节', 'general', '江南当代文学书系', '45.00', '苏晚'],
  ['桥边的茶馆', 'general', '江南当代文学书系', '52.00', '沈一舟'],
  ['太湖往事', 'general', '江南当代文学书系', '68.00', '吴承远'],
  ['江南园林笔记', 'general', '江南风物', '78.00', '陈步青'],
  ['江南风物志', 'general', '江南风物', '58.00', '陈步青'],
  ['江南味道', 'general', '江南风物', '62.00', '何小满'],
  ['古镇的黄昏', 'general', null, '42.00', '苏晚'],
  ['一个人的苏州', 'general', null, '46.00', '叶青禾'],
  ['诗经里的草木', 'general', '国学雅读', '68.00', '孟南枝'],
  ['唐诗之路', 'general', '国学雅读', '59.00', '孟南枝'],
  ['宋词中的江南', 'general', '国学雅读', '56.00', '孟南枝'],
  ['茶事', 'general', null, '39.00', '何小满'],
  ['江南民间故事集', 'general', null, '42.00', '本社编'],
  ['小蝌蚪的夏天', 'children', '小水滴绘本', '36.00', '朱小鱼'],
  ['月亮船', 'children', '小水滴绘本', '32.00', '朱小鱼'],
  ['外婆家的石板桥', 'children', '小水滴绘本', '35.00', '唐果'],
  ['会唱歌的乌篷船', 'children', '小水滴绘本', '35.00', '唐果'],
  ['小鲤鱼历险记', 'children', '童话江南', '28.00', '金波涛'],
  ['萤火虫的灯笼', 'children', '童话江南', '28.00', '金波涛'],
  ['十万个为什么（江南版）自然卷', 'children', '少年科普', '39.00', '本社编'],
  ['十万个为什么（江南版）动物卷', 'children', '少年科普', '39.00', '本社编'],
  ['少年读《史记》', 'children', '少年国学', '48.00', '孟南枝'],
  ['少年读《论语》', 'children', '少年国学', '45.00', '孟南枝'],
  ['我的第一本汉字书', 'children', null, '39.80', '顾小禾'],
  ['明清江南市镇研究', 'academic', '江南文化研究丛书', '98.00', '王守仁'],
  ['江南藏书楼史', 'academic', '江南文化研究丛书', '128.00', '钱书远'],
  ['吴语方言词典', 'academic', null, '168.00', '江南方言研究中心'],
  ['江南丝绸史论', 'academic', '江南文化研究丛书', '88.00', '蔡锦'],
  ['近代江南出版业研究', 'academic', '江南文化研究丛书', '96.00', '钱书远'],
  ['昆曲声腔考', 'academic', null, '78.00', '俞清音'],
  ['运河文化与城市变迁', 'academic', '江南文化研究丛书', '86.00', '王守仁'],
  ['江南风物日历（2026）', 'other', '文创', '68.00', '本社编'],
  ['江南书法名家作品选（字帖）', 'other', null, '38.00', '周墨林'],
  ['朗读者手册（附音频）', 'other', null, '42.00', '林晓岚'],
  ['书香校园阅读手册', 'other', null, '15.00', '本社编'],
  ['江南古村落地图册', 'other', null, '58.00', '本社编'],
];

/** ISBN-13 of the n-th fictional title: 978-7-5399-68nn-c. */
export function ownIsbn(index: number): string {
  const first12 = `${registrant}${String(6801 + index).padStart(4, '0')}`;
  return first12 + isbn13CheckDigit(first12);
}

async function seedOwnTitles(context: DemoSeedContext): Promise<number> {
  let inserted = 0;
  for (const [index, [title, category, series, priceYuan, author]] of ownTitles.entries()) {
    const isbn = ownIsbn(index);
    if (await findBookByIsbn(context.db, isbn)) continue;
    const year = 2019 + (index % 7);
    const status: BookStatus = index % 29 === 7 ? 'pre_order' : index % 23 === 19 ? 'discontinued' : 'on_sale';
    const publicationDate = status === 'pre_order' ? '2026-09-01' : `${year}-${String((index % 12) + 1).padStart(2, '0')}-01`;
    await insertBook(
      context.db,
      toBookRow(
        {
          isbn,
          title,
          author,
          series,
          category,
          listPriceFen: parseYuanToFen(priceYuan) ?? 0,
          publicationDate,
          status,
          // Stock as the distribution system would report it: textbooks and aids in thousands, the rest in hundreds.
          stockQuantity: status === 'pre_order' ? 0 : ((index * 7919) % 40) * (category === 'textbook' || category === 'teaching_aid' ? 250 : 30),
          publisher: ownPublisher,
        },
        context.now,
      ),
    );
    inserted += 1;
  }
  return inserted;
}

async function seedLibraryRecords(context: DemoSeedContext): Promise<number> {
  let inserted = 0;
  for (const record of readCsv(fixtureFile)) {
    if (record.isbn_check !== 'valid' || !record.isbn13) continue;
    const listPriceFen = parseYuanToFen((record.price_raw ?? '').replace(/^CNY(赠)?/, ''));
    if (!listPriceFen) continue;
    if (await findBookByIsbn(context.db, record.isbn13)) continue;
    const year = /^\d{4}/.exec(record.pub_year ?? '')?.[0];
    await insertBook(
      context.db,
      toBookRow(
        {
          isbn: record.isbn13,
          title: record.title ?? '',
          author: null,
          series: null,
          category: /排行榜/.test(record.title ?? '') ? 'general' : 'academic',
          listPriceFen,
          publicationDate: year ? `${year}-01-01` : null,
          status: 'discontinued',
          stockQuantity: 0,
          publisher: record.publisher ?? null,
        },
        context.now,
      ),
    );
    inserted += 1;
  }
  return inserted;
}

export const bookSeedStep: DemoSeedStep = {
  name: 'book-catalog',
  async run(context) {
    const own = await seedOwnTitles(context);
    const records = await seedLibraryRecords(context);
    context.logger.info({ own, records }, 'demo catalog loaded');
  },
};
