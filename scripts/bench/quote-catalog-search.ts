import { isbn13CheckDigit } from '../../shared/src/isbn.js';
import type { BookCategory } from '../../shared/src/api/book.js';
import { rebuildSearchTokens } from '../../server/src/modules/book/book.repository.js';
import { searchBooks, toBookRow } from '../../server/src/modules/book/book.service.js';
import { describeMachine, formatTiming, openBenchDatabase, timeRuns, type Timing } from './quote-bench-kit.js';

/**
 * Catalog search over 50,000 titles (budget: p95 under 30 ms), through the book service as the API calls
 * it: ISBN in any form, title words, pinyin spelling and initials, series, and a term that finds nothing.
 * Run: npx tsx scripts/bench/quote-catalog-search.ts [titles]
 */

const titleCount = Number(process.argv[2] ?? 50_000);
const budgetMs = 30;

const heads = ['江南', '运河', '烟雨', '太湖', '梅雨', '古镇', '少年', '小学', '初中', '明清', '唐宋', '中国', '吴越', '水乡', '青石', '白墙', '春风', '秋水', '月下', '桥边', '乌篷', '茶山', '书院', '园林', '丝绸', '昆曲', '民间', '乡土', '城市', '山海', '星空', '森林', '草原', '大河', '小镇', '故园', '远方', '岁月', '时光', '家国'];
const cores = ['人家', '往事', '笔记', '故事', '阅读', '古诗文', '童话', '科普', '研究', '史论', '散文', '诗词', '随笔', '手记', '图志', '风物', '味道', '地图', '日历', '字帖', '读本', '练习', '作文', '词典', '考', '传', '志', '记', '谣', '画'];
const tails = ['', '', '', '（修订版）', '（注音版）', '三年级上', '三年级下', '四年级上', '七年级', '八年级', '九年级', '第一辑', '第二辑', '上册', '下册', '（典藏版）', '（插图本）', '精选', '导读', '全集'];
const seriesNames = [null, null, null, '江南当代文学书系', '同步阅读', '古诗文精讲精练', '少年国学', '童话江南', '江南文化研究丛书', '小水滴绘本', '国学雅读', '快乐假期', '分级阅读', '中考冲刺'];
const categories: BookCategory[] = ['textbook', 'teaching_aid', 'general', 'children', 'academic', 'other'];

function isbnOf(index: number): string {
  const registrants = ['5321', '5399', '5447', '5594', '5702', '5736'];
  const first12 = `9787${registrants[Math.floor(index / 10_000) % registrants.length]}${String(index % 10_000).padStart(4, '0')}`;
  return first12 + isbn13CheckDigit(first12);
}

function titleOf(index: number): string {
  return `${heads[index % heads.length]}${cores[Math.floor(index / heads.length) % cores.length]}${tails[Math.floor(index / (heads.length * cores.length)) % tails.length]}`;
}

const bench = await openBenchDatabase('catalog');
const now = new Date();
console.log(`Catalog search — ${describeMachine(`SQLite ${bench.sqlite.prepare('select sqlite_version() as v').pluck().get() as string}, ${titleCount} titles`)}`);

let started = Date.now();
// Bulk load as a generator would: rows with their pinyin keys in batches, then the token index rebuilt once.
await bench.db.transaction().execute(async (trx) => {
  for (let start = 0; start < titleCount; start += 500) {
    const rows = [];
    for (let index = start; index < Math.min(titleCount, start + 500); index += 1) {
      const category = categories[index % categories.length]!;
      rows.push(toBookRow({ isbn: isbnOf(index), title: titleOf(index), author: null, series: seriesNames[index % seriesNames.length] ?? null, category, listPriceFen: 1800 + (index % 80) * 100, publicationDate: null, status: index % 10 === 0 ? 'discontinued' : 'on_sale', stockQuantity: index % 500, publisher: null }, now));
    }
    await trx.insertInto('book').values(rows).execute();
  }
  await rebuildSearchTokens(trx);
});
bench.sqlite.exec('analyze');
const tokenRows = bench.sqlite.prepare('select count(*) from book_search_token').pluck().get() as number;
console.log(`loaded ${titleCount} titles with pinyin keys and ${tokenRows} index tokens in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const pick = (run: number) => (run * 7919) % titleCount;
const isbn10 = (isbn13: string) => `${isbn13.slice(3, 12)}${(() => {
  let sum = 0;
  for (let index = 0; index < 9; index += 1) sum += Number(isbn13[3 + index]) * (10 - index);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
})()}`;

const queries: Record<string, (run: number) => string> = {
  'ISBN-13 exact': (run) => isbnOf(pick(run)),
  'ISBN-10 with hyphens': (run) => isbn10(isbnOf(pick(run))).replace(/^(\d)(\d{4})(\d{4})(.)$/, '$1-$2-$3-$4'),
  'ISBN-13 first 10 digits': (run) => isbnOf(pick(run)).slice(0, 10),
  'two pinyin initials': (run) => ['jn', 'yh', 'xx', 'gz', 'sn'][run % 5]!,
  'two Chinese characters': (run) => heads[run % heads.length]!,
  'title word + core': (run) => `${heads[run % heads.length]}${cores[run % cores.length]}`,
  'pinyin initials (4 letters)': (run) => ['jnrj', 'yhws', 'tbyd', 'xxtk', 'gzsw', 'snkp', 'mqyj'][run % 7]!,
  'full pinyin': (run) => ['yunhe', 'jiangnan', 'tonghua', 'gushiwen', 'yanjiu', 'suibi'][run % 6]!,
  series: (run) => seriesNames[3 + (run % (seriesNames.length - 3))]!,
  'no match': () => '不存在的书名',
};

const runsPerKind = 300;
const perKind: [string, Timing][] = [];
for (const [kind, makeQuery] of Object.entries(queries)) {
  perKind.push([kind, await timeRuns((run) => searchBooks(bench.db, { q: makeQuery(run), limit: 20, offset: 0 }), runsPerKind, 20)]);
}
for (const [kind, timing] of perKind) console.log(formatTiming(`  ${kind}`, timing, budgetMs));

// All kinds together, as a stream of users would send them.
const kinds = Object.values(queries);
console.log(formatTiming('all searches (page of 20 + capped total)', await timeRuns((run) => searchBooks(bench.db, { q: kinds[run % kinds.length]!(run), limit: 20, offset: 0 }), 3000, 100), budgetMs));
// Query plans of the two shapes, after ANALYZE, for reading the figures above.
const plan = (label: string, statement: string) => console.log(`plan, ${label}: ${(bench.sqlite.prepare(`explain query plan ${statement}`).all() as { detail: string }[]).map((row) => row.detail).join(' | ')}`);
plan('prefix', `select * from book where (title >= 'jn' and title < 'jn\uffff') or (title_initials >= 'jn' and title_initials < 'jn~') or (title_pinyin >= 'jn' and title_pinyin < 'jn~') order by title, id limit 20`);
plan('contains', `select * from book where id in (select book_id from book_search_token where token = '江南' intersect select book_id from book_search_token where token = '笔记') and search_text like '%江南笔记%' order by id desc limit 20`);
bench.dispose();
