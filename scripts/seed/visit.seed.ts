import type { Actor } from '../../server/src/access/actor.js';
import { hasRole } from '../../server/src/access/actor.js';
import { localDate, addDays } from '../../server/src/lib/clock.js';
import { searchBooks } from '../../server/src/modules/book/book.service.js';
import { getVisibleCustomerOrThrow, listCustomerContactRefs, listVisibleCustomerIds, type CustomerSummary } from '../../server/src/modules/customer/customer.service.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { createVisitPlan } from '../../server/src/modules/visit/visit-plan.service.js';
import { updateVisitSettings } from '../../server/src/modules/visit/visit-settings.service.js';
import { checkIn, completeFollowUp, saveVisit } from '../../server/src/modules/visit/visit.service.js';
import { evaluateCheckInLocation, gcj02ToWgs84, type VisitPurpose } from '../../shared/src/visit-rules.js';
import { staleDemoCustomerNames } from './customer.seed.js';
import type { DemoSeedContext, DemoSeedStep } from './demo-data.js';

/**
 * Three weeks of store visits by the demo reps, through the visit services as the reps themselves: plans
 * made each morning, two to four visits a working day with notes, outcomes and shelf checks, a few far or
 * unlocated check-ins with their reasons, follow-ups falling due today and overdue, and plans for the
 * coming days. Randomness is seeded, so every demo database tells the same story.
 */

const TIME_ZONE = 'Asia/Shanghai';
const PAST_DAYS = 21;
const COMING_DAYS = 5;
const RADIUS_M = 500;

/** mulberry32: a small seeded generator, enough for believable variety. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Story {
  purpose: VisitPurpose;
  notes: string[];
  outcomes: string[];
  nextSteps: string[];
}

const stories: Story[] = [
  {
    purpose: 'new_title',
    notes: ['带了《运河人家》《烟雨长街》样书，店长翻看后认为适合做本地作家专架。', '介绍春季新书目录，重点推了江南风物系列，采购主管关心首批折扣。', '新书推介会排期沟通，对方希望作者到店签售。'],
    outcomes: ['同意首批各进 30 册，放在新书台。', '答应下周报首批订数。', '先进 10 册试销，看两周动销再补。'],
    nextSteps: ['发送新书征订单和海报电子版', '确认签售日期并报作者行程', '两周后回访看动销'],
  },
  {
    purpose: 'shelf_check',
    notes: ['文学区本社图书集中在三号书架，部分品种被挤到底层。', '教辅区同步阅读系列陈列完整，古诗文精讲断了八年级。', '少儿区绘本陈列较好，封面朝外的位置被外社占去一半。'],
    outcomes: ['店长同意把江南当代文学书系调到平台。', '缺货品种已现场登记补货。', '约定月底前调整少儿区陈列。'],
    nextSteps: ['安排补货：古诗文精讲精练八年级 20 册', '寄送陈列用的书架插卡', '下次拜访复查陈列'],
  },
  {
    purpose: 'collection',
    notes: ['第三季度回款仍欠两期，财务说要等总部资金计划。', '对账后确认欠款金额无异议，承诺分两次付清。', '店里资金紧张，希望延期一个月。'],
    outcomes: ['承诺本月 25 日前付第一期。', '同意先付一半，余款下月初付清。', '未达成，需要主管出面沟通。'],
    nextSteps: ['月底前电话确认到账', '把对账单盖章件寄给对方财务', '请王经理约对方财务负责人面谈'],
  },
  {
    purpose: 'reconciliation',
    notes: ['核对上季度发货和退货明细，有三笔退货单号对不上。', '对方提出两笔发票金额与合同不一致。'],
    outcomes: ['差异已找到：一笔退货未入账，财务会补记。', '发票问题需财务部核实后回复。'],
    nextSteps: ['把退货单复印件发给财务部', '财务核实后回电对方'],
  },
  {
    purpose: 'subscription',
    notes: ['秋季教材征订，教务处已收到征订目录，关心到货时间。', '和年级组长确认教辅选用意向，书法练习指导反馈较好。'],
    outcomes: ['预计征订三年级书法练习指导 420 册。', '初定同步阅读四个年级共 1,200 册，待校长签字。'],
    nextSteps: ['下周一前收回征订单', '开学前两周安排送书'],
  },
  {
    purpose: 'library_supply',
    notes: ['图书馆今年采购预算已批，采编部希望提供地方文献类书目。', '馆配招标文件即将挂网，了解评分办法和资质要求。'],
    outcomes: ['对方需要一份江南地方文献专题书目。', '确认参加投标，需准备业绩证明。'],
    nextSteps: ['整理地方文献专题书目发给采编部', '准备投标资料，周五前交馆配部'],
  },
];

const farReasons = ['客户约在分店见面', '店长在总部开会，到总部办公室面谈', '陪同客户去仓库看货'];
const unlocatedReasons = ['地下卖场没有信号', '手机定位一直失败，已拍门头照片'];

interface RepBook {
  isbn: string;
}

export const visitSeedStep: DemoSeedStep = {
  name: 'visits',
  async run(context) {
    const random = seededRandom(20240915);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)] ?? items[0]!;
    const today = localDate(context.now, TIME_ZONE);

    const books = await listHouseTitles(context);
    await setFocusTitles(context, books);

    let visits = 0;
    for (const [platformUserId, userId] of context.userIds) {
      const actor = await loadActor(context.db, userId);
      if (!actor || !hasRole(actor, 'rep')) continue;
      const customers = await listOwnCustomers(context, actor);
      if (customers.length === 0) {
        context.logger.info({ rep: platformUserId }, 'visit seed: rep owns no customers; no visits');
        continue;
      }

      for (let offset = PAST_DAYS; offset >= 1; offset -= 1) {
        const day = addDays(today, -offset);
        if (isSunday(day)) continue;
        visits += await seedWorkingDay(context, actor, customers, books, day, today, random, pick);
      }
      await seedComingPlans(context, actor, customers, today, random, pick);
    }
    context.logger.info({ visits }, 'visit seed done');
  },
};

function isSunday(date: string): boolean {
  return new Date(`${date}T00:00:00Z`).getUTCDay() === 0;
}

/** Converts a Shanghai wall-clock time of a date into an instant. */
function shanghaiInstant(date: string, minutesAfterMidnight: number): Date {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + minutesAfterMidnight * 60_000);
}

async function listHouseTitles(context: DemoSeedContext): Promise<RepBook[]> {
  const page = await searchBooks(context.db, { status: 'on_sale', limit: 100, offset: 0 });
  return page.items.filter((book) => book.publisher === '江南文艺出版社').map((book) => ({ isbn: book.isbn }));
}

async function setFocusTitles(context: DemoSeedContext, books: RepBook[]): Promise<void> {
  const adminId = context.userIds.get('xuzhiyuan01');
  const admin = adminId === undefined ? undefined : await loadActor(context.db, adminId);
  if (!admin) return;
  await updateVisitSettings(context.db, admin, { checkInRadiusM: RADIUS_M, focusIsbns: books.slice(22, 26).map((book) => book.isbn) }, context.now);
}

async function listOwnCustomers(context: DemoSeedContext, actor: Actor): Promise<CustomerSummary[]> {
  const ids = await listVisibleCustomerIds(context.db, actor);
  if (ids === 'all') return [];
  const customers: CustomerSummary[] = [];
  for (const id of ids.slice(0, 40)) {
    const customer = await getVisibleCustomerOrThrow(context.db, actor, id);
    if (customer.ownerId === actor.id && !staleDemoCustomerNames.has(customer.name)) customers.push(customer);
  }
  return customers;
}

/** Morning plans, then the day's visits: most planned stores get visited, now and then one is missed. */
async function seedWorkingDay(
  context: DemoSeedContext,
  actor: Actor,
  customers: CustomerSummary[],
  books: RepBook[],
  day: string,
  today: string,
  random: () => number,
  pick: <T>(items: T[]) => T,
): Promise<number> {
  const count = 2 + Math.floor(random() * 3);
  const chosen = shuffle(customers, random)
    .slice(0, Math.min(count, customers.length))
    .map((customer) => ({ customer, story: storyFor(customer, pick) }));

  const morning = shanghaiInstant(day, 8 * 60);
  for (const { customer, story } of chosen) {
    await createVisitPlan(context.db, actor, { customerId: customer.id, planDate: day, purpose: story.purpose, note: '' }, morning, TIME_ZONE);
  }

  let minute = 9 * 60 + 20 + Math.floor(random() * 40);
  let made = 0;
  for (const { customer, story } of chosen) {
    if (random() < 0.12) continue;
    const visitId = await checkInNear(context, actor, customer, story.purpose, shanghaiInstant(day, minute), random, pick);
    const duration = 20 + Math.floor(random() * 70);
    await recordVisit(context, actor, customer, visitId, story, books, day, today, shanghaiInstant(day, minute + duration), random, pick);
    minute += duration + 40 + Math.floor(random() * 60);
    made += 1;
  }
  return made;
}

function storyFor(customer: CustomerSummary, pick: <T>(items: T[]) => T): Story {
  if (customer.type === 'library') return pick([stories[5]!, stories[0]!]);
  if (customer.type === 'school') return pick([stories[4]!, stories[2]!]);
  return pick(stories.slice(0, 4));
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}

/**
 * Checks the rep in near the store: mostly at the door (30–250 m), now and then kilometres away or
 * without a fix. The shared check-in rule decides what is flagged, and a flagged check-in gets a reason.
 * A store without a location gets the first precise on-site position, as in the app.
 */
async function checkInNear(
  context: DemoSeedContext,
  actor: Actor,
  customer: CustomerSummary,
  purpose: VisitPurpose,
  at: Date,
  random: () => number,
  pick: <T>(items: T[]) => T,
): Promise<number> {
  const roll = random();
  const far = roll < 0.08;
  const unlocated = roll >= 0.08 && roll < 0.11;
  const stored = customer.location ? { latitude: customer.location.lat, longitude: customer.location.lng } : null;
  const base = stored ?? { latitude: 32.0415, longitude: 118.7845 };
  const metres = far ? 1500 + random() * 3500 : 30 + random() * 220;
  const angle = random() * 2 * Math.PI;
  const point = { latitude: base.latitude + (metres * Math.cos(angle)) / 111_195, longitude: base.longitude + (metres * Math.sin(angle)) / (111_195 * Math.cos((base.latitude * Math.PI) / 180)) };

  // Half the phones report raw GPS (WGS-84), the other half the chat apps' GCJ-02.
  const raw = random() < 0.5;
  const reported = raw ? gcj02ToWgs84(point) : point;
  const location = unlocated ? null : { ...reported, accuracyMeters: 10 + Math.round(random() * 40), coordinateSystem: raw ? ('wgs84' as const) : ('gcj02' as const), address: customer.address };
  const decision = evaluateCheckInLocation({ device: location, customer: stored, radiusM: RADIUS_M });

  const visit = await checkIn({ db: context.db, now: at, timeZone: TIME_ZONE, clientTimeAtSend: null }, actor, {
    customerId: customer.id,
    purpose,
    location,
    locationFailure: unlocated ? '定位超时，请到信号较好的地方重试' : null,
    flagReason: decision.flagged ? pick(unlocated ? unlocatedReasons : farReasons) : null,
    setCustomerLocation: decision.canSetCustomerLocation && !far,
    tappedAt: null,
  });
  if (visit.checkIn.setCustomerLocation) customer.location = { lat: point.latitude, lng: point.longitude };
  return visit.id;
}

async function recordVisit(
  context: DemoSeedContext,
  actor: Actor,
  customer: CustomerSummary,
  visitId: number,
  story: Story,
  books: RepBook[],
  day: string,
  today: string,
  checkOutAt: Date,
  random: () => number,
  pick: <T>(items: T[]) => T,
): Promise<void> {
  const contacts = await listCustomerContactRefs(context.db, customer.id);
  const met = contacts.slice(0, 1 + Math.floor(random() * Math.min(2, contacts.length)));
  const shelfChecks = story.purpose === 'shelf_check' || (story.purpose === 'new_title' && random() < 0.4) ? shelfCheckFor(books, random) : [];

  // A week's follow-up: visits of a week ago fall due today and later ones in the coming days. Most older
  // ones were done on time, and the rest show as overdue on the workbench.
  const followUpDate = random() < 0.55 ? addDays(day, 7) : null;

  const visitContext = { db: context.db, now: checkOutAt, timeZone: TIME_ZONE, clientTimeAtSend: null };
  await saveVisit(visitContext, actor, visitId, {
    purpose: story.purpose,
    contacts: met.map((contact) => ({ contactId: contact.id, name: contact.name })),
    notes: pick(story.notes),
    outcome: pick(story.outcomes),
    nextStep: followUpDate ? pick(story.nextSteps) : '',
    followUpDate,
    shelfChecks,
    checkOut: true,
    tappedAt: null,
  });

  if (followUpDate !== null && followUpDate < today && random() < 0.8) {
    await completeFollowUp({ ...visitContext, now: shanghaiInstant(followUpDate, 15 * 60) }, actor, visitId);
  }
}

function shelfCheckFor(books: RepBook[], random: () => number) {
  if (books.length === 0) return [];
  const start = Math.floor(random() * Math.max(1, books.length - 8));
  return books.slice(start, start + 3 + Math.floor(random() * 5)).map((book) => {
    const onShelf = random() < 0.78;
    return { isbn: book.isbn, onShelf, facingCount: onShelf ? Math.floor(random() * 4) : 0, note: '' };
  });
}

async function seedComingPlans(context: DemoSeedContext, actor: Actor, customers: CustomerSummary[], today: string, random: () => number, pick: <T>(items: T[]) => T): Promise<void> {
  for (let offset = 0; offset <= COMING_DAYS; offset += 1) {
    const day = addDays(today, offset);
    if (isSunday(day)) continue;
    const chosen = shuffle(customers, random).slice(0, Math.min(2 + Math.floor(random() * 2), customers.length));
    for (const customer of chosen) {
      const story = pick(stories);
      await createVisitPlan(context.db, actor, { customerId: customer.id, planDate: day, purpose: story.purpose, note: random() < 0.4 ? pick(story.nextSteps) : '' }, context.now, TIME_ZONE);
    }
  }
}
