import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Actor } from '../../server/src/access/actor.js';
import { addDays, localDate } from '../../server/src/lib/clock.js';
import { searchBooks } from '../../server/src/modules/book/book.service.js';
import { findBookByIsbn } from '../../server/src/modules/book/book.service.js';
import { getVisibleCustomerOrThrow, listVisibleCustomerIds } from '../../server/src/modules/customer/customer.service.js';
import { loadActor } from '../../server/src/modules/org/org.service.js';
import { importBookList, importHoldings, recordDelivery } from '../../server/src/modules/project/library-supply.service.js';
import type { ServiceMoment } from '../../server/src/modules/project/project.context.js';
import { addTask, changeMilestone } from '../../server/src/modules/project/project-plan.service.js';
import { createProject } from '../../server/src/modules/project/project.service.js';
import { listContracts } from '../../server/src/modules/contract/contract.service.js';
import { linkRecordToProject } from '../../server/src/modules/project/project-link.service.js';
import { importSubscriptionOrders } from '../../server/src/modules/project/subscription-import.service.js';
import { addSubscriptionOrders } from '../../server/src/modules/project/subscription.service.js';
import { listQuotes } from '../../server/src/modules/quote/quote.service.js';
import { listReceiptsForActor } from '../../server/src/modules/receivable/receipt.service.js';
import { listVisits } from '../../server/src/modules/visit/visit-query.service.js';
import { saveTargets } from '../../server/src/modules/target/target.service.js';
import { contractListQuerySchema } from '../../shared/src/api/contract.js';
import { projectCreateSchema, subscriptionOrdersCreateSchema } from '../../shared/src/api/project.js';
import type { LinkCandidateType } from '../../shared/src/api/project-links.js';
import { quoteListQuerySchema } from '../../shared/src/api/quote.js';
import { parseIsbn } from '../../shared/src/isbn.js';
import { shiftMonth } from '../../shared/src/kpi-rules.js';
import type { DemoSeedContext, DemoSeedStep } from './demo-data.js';

/**
 * Projects and targets of the demo, written through the project and target services as the people who
 * would do it: two 馆配 projects (南京图书馆 at the bid stage, 浙江图书馆 delivering its book list in
 * batches), one 教材征订 for 南师附中 with orders imported from the school's sheet before the deadline,
 * and one project with a linked visit, quote, contract and receipt. Monthly targets cover every rep and
 * sales team from five months ago to next month.
 */

const TIME_ZONE = 'Asia/Shanghai';
const publicUrl = process.env.PUBLIC_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

/**
 * Well-known titles of other publishers a library list would also ask for; they are not in this
 * publisher's catalog, so the list shows them as 社内无此书. Each is checked before use.
 */
const otherPublishersTitles: [string, string][] = [
  ['9787020002207', '红楼梦'],
  ['9787506365437', '活着'],
  ['9787544253994', '百年孤独'],
  ['9787020024759', '围城'],
  ['9787530212004', '平凡的世界'],
];

async function actorOf(context: DemoSeedContext, userid: string): Promise<Actor> {
  const id = context.userIds.get(userid);
  const actor = id === undefined ? undefined : await loadActor(context.db, id);
  if (!actor) throw new Error(`demo user ${userid} is missing; the org sync must run before the project seed`);
  return actor;
}

function momentAt(context: DemoSeedContext, daysAgo: number): ServiceMoment {
  const now = new Date(context.now.getTime() - daysAgo * 86_400_000);
  return { now, today: localDate(now, TIME_ZONE), publicUrl };
}

async function customerNamed(context: DemoSeedContext, actor: Actor, name: string): Promise<number | undefined> {
  const visible = await listVisibleCustomerIds(context.db, actor);
  if (visible === 'all') return undefined;
  for (const id of visible) {
    const customer = await getVisibleCustomerOrThrow(context.db, actor, id);
    if (customer.name === name) return customer.id;
  }
  return undefined;
}

/** Finds the data folder of this database, where project documents go. */
async function dataDirOf(context: DemoSeedContext): Promise<string | undefined> {
  const rows = await sql<{ name: string; file: string }>`pragma database_list`.execute(context.db);
  const file = rows.rows.find((row) => row.name === 'main')?.file;
  return file ? path.dirname(file) : undefined;
}

async function workbook(headings: string[], rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('书目');
  sheet.addRow(headings);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

export const projectSeedStep: DemoSeedStep = {
  name: 'projects',
  async run(context) {
    const dataDir = await dataDirOf(context);
    if (!dataDir) {
      context.logger.warn('demo projects skipped: the database has no data folder for project documents');
      return;
    }
    await seedBiddingProject(context);
    await seedDeliveringProject(context, dataDir);
    await seedSubscriptionProject(context, dataDir);
    await seedLinkedActivityProject(context);
    await seedTargets(context);
  },
};

/** 南京图书馆: announcement done, bid due in five days, tasks for the bid file. */
async function seedBiddingProject(context: DemoSeedContext): Promise<void> {
  const xuting = await actorOf(context, 'xuting01');
  const libraryId = await customerNamed(context, xuting, '南京图书馆');
  if (!libraryId) return;
  const today = momentAt(context, 0).today;
  const created = momentAt(context, 12);

  const project = await createProject(
    context.db,
    xuting,
    projectCreateSchema.parse({
      kind: 'library_supply',
      name: '南京图书馆2026年中文图书采购项目',
      customerIds: [libraryId],
      budgetFen: 180_000_000,
      startDate: created.today,
      endDate: addDays(today, 240),
      description: '公开招标，采购中文图书约 1.2 万种，分三包；本社投第二包（文学、社科）。投标截止前需提交投标书目和资质文件。',
      members: [
        { userId: context.userIds.get('liuyang01')!, role: 'bid' },
        { userId: context.userIds.get('tangshiyu01')!, role: 'editorial' },
      ],
      milestones: [
        { name: '招标公告', dueDate: addDays(today, -10) },
        { name: '投标', dueDate: addDays(today, 5) },
        { name: '中标', dueDate: addDays(today, 20) },
        { name: '签约', dueDate: addDays(today, 35) },
        { name: '配送', dueDate: addDays(today, 120) },
        { name: '验收', dueDate: addDays(today, 150) },
        { name: '回款', dueDate: addDays(today, 210) },
      ],
    }),
    created,
  );
  await changeMilestone(context.db, xuting, project.id, project.milestones[0]!.id, { doneDate: addDays(today, -10) }, momentAt(context, 10));

  const liuyang = context.userIds.get('liuyang01')!;
  const tang = context.userIds.get('tangshiyu01')!;
  await addTask(context.db, xuting, project.id, { title: '编制投标书目（第二包：文学、社科）', notes: '按招标文件附件三的格式，含 ISBN、定价、折扣', assigneeId: liuyang, dueDate: addDays(today, 3), milestoneId: project.milestones[1]!.id }, momentAt(context, 9));
  await addTask(context.db, xuting, project.id, { title: '审核投标书目的版次和库存', notes: '', assigneeId: tang, dueDate: addDays(today, 4), milestoneId: project.milestones[1]!.id }, momentAt(context, 9));
  await addTask(context.db, xuting, project.id, { title: '准备资质文件（营业执照、出版许可证、近三年业绩）', notes: '', assigneeId: xuting.id, dueDate: addDays(today, -1), milestoneId: project.milestones[1]!.id }, momentAt(context, 8));
}

/** 浙江图书馆: signed, book list imported with holdings, two delivery batches out. */
async function seedDeliveringProject(context: DemoSeedContext, dataDir: string): Promise<void> {
  const xuting = await actorOf(context, 'xuting01');
  const libraryId = await customerNamed(context, xuting, '浙江图书馆');
  if (!libraryId) return;
  const today = momentAt(context, 0).today;

  const project = await createProject(
    context.db,
    xuting,
    projectCreateSchema.parse({
      kind: 'library_supply',
      name: '浙江图书馆2026年度馆配（第一包）',
      customerIds: [libraryId],
      budgetFen: 95_000_000,
      startDate: addDays(today, -75),
      endDate: addDays(today, 60),
      description: '中标第一包，合同约定分批配送，到货率不低于 95%；馆藏已有品种不得重复配送。',
      members: [{ userId: context.userIds.get('liuyang01')!, role: 'logistics' }],
      milestones: [
        { name: '招标公告', dueDate: addDays(today, -75) },
        { name: '投标', dueDate: addDays(today, -60) },
        { name: '中标', dueDate: addDays(today, -50) },
        { name: '签约', dueDate: addDays(today, -40) },
        { name: '配送', dueDate: addDays(today, 20) },
        { name: '验收', dueDate: addDays(today, 40) },
        { name: '回款', dueDate: addDays(today, 60) },
      ],
    }),
    momentAt(context, 80),
  );
  const doneDays = [75, 60, 48, 40];
  for (const [index, days] of doneDays.entries()) {
    await changeMilestone(context.db, xuting, project.id, project.milestones[index]!.id, { doneDate: addDays(today, -days) }, momentAt(context, days));
  }

  const catalog = (await searchBooks(context.db, { status: 'on_sale', limit: 100, offset: 0 })).items.slice(0, 36);
  const outside: [string, string][] = [];
  for (const [isbn, title] of otherPublishersTitles) {
    const parsed = parseIsbn(isbn);
    if (parsed.ok && !(await findBookByIsbn(context.db, parsed.isbn13))) outside.push([parsed.isbn13, title]);
  }
  const copies = new Map(catalog.map((book, index) => [book.isbn, 2 + (index % 4)]));
  const rows = [...catalog.map((book) => [book.isbn, book.title, copies.get(book.isbn)!] as (string | number)[]), ...outside.map(([isbn, title]) => [isbn, title, 2])];
  const listFile = await workbook(['ISBN', '题名', '复本数'], rows);
  await importBookList(context.db, xuting, project.id, { fileName: '浙江图书馆2026年度采购书目（第一包）.xlsx', content: listFile }, { dryRun: false, mode: 'merge' }, dataDir, momentAt(context, 38));

  const held = catalog.filter((_, index) => index % 9 === 4).map((book) => [book.isbn]);
  await importHoldings(context.db, xuting, project.id, { fileName: '浙江图书馆馆藏查重结果.xlsx', content: await workbook(['ISBN'], held) }, { dryRun: false }, dataDir, momentAt(context, 36));

  const heldIsbns = new Set(held.map((row) => row[0]));
  const toSupply = catalog.filter((book) => !heldIsbns.has(book.isbn));
  const liuyang = await actorOf(context, 'liuyang01');
  await recordDelivery(
    context.db,
    liuyang,
    project.id,
    { shippedDate: addDays(today, -21), note: '顺丰快运 SF1402886731', lines: toSupply.slice(0, 14).map((book) => ({ isbn: book.isbn, quantity: copies.get(book.isbn)! })) },
    momentAt(context, 21),
  );
  await recordDelivery(
    context.db,
    liuyang,
    project.id,
    { shippedDate: addDays(today, -6), note: '德邦物流 DPK2271930；余下品种待印厂补货', lines: toSupply.slice(14, 24).map((book) => ({ isbn: book.isbn, quantity: 1 })) },
    momentAt(context, 6),
  );
  await addTask(context.db, xuting, project.id, { title: '催印厂补货，安排第三批配送', notes: '第二批部分品种只到 1 册', assigneeId: liuyang.id, dueDate: addDays(today, 4), milestoneId: project.milestones[4]!.id }, momentAt(context, 5));
}

/** 南师附中: catalog sent, deadline in ten days, orders per course and class. */
async function seedSubscriptionProject(context: DemoSeedContext, dataDir: string): Promise<void> {
  const zhengkai = await actorOf(context, 'zhengkai01');
  const schoolId = await customerNamed(context, zhengkai, '南京师范大学附属中学');
  if (!schoolId) return;
  const today = momentAt(context, 0).today;
  const month = Number(today.slice(5, 7));
  const term = month >= 3 && month <= 8 ? `${today.slice(0, 4)}-autumn` : `${month >= 9 ? Number(today.slice(0, 4)) + 1 : today.slice(0, 4)}-spring`;

  const project = await createProject(
    context.db,
    zhengkai,
    projectCreateSchema.parse({
      kind: 'textbook_subscription',
      name: '南师附中新学期教材教辅征订',
      budgetFen: 0,
      members: [{ userId: context.userIds.get('wuhaiyan01')!, role: 'sales' }],
      subscription: { schoolCustomerId: schoolId, term, catalogSentDate: addDays(today, -15), orderDeadline: addDays(today, 10), termStartDate: addDays(today, 25) },
      milestones: [
        { name: '发送征订目录', dueDate: addDays(today, -15) },
        { name: '征订截止', dueDate: addDays(today, 10) },
        { name: '发货', dueDate: addDays(today, 18) },
        { name: '开学退货', dueDate: addDays(today, 40) },
        { name: '回款', dueDate: addDays(today, 70) },
      ],
    }),
    momentAt(context, 20),
  );
  await changeMilestone(context.db, zhengkai, project.id, project.milestones[0]!.id, { doneDate: addDays(today, -15) }, momentAt(context, 15));

  const books = (await searchBooks(context.db, { status: 'on_sale', limit: 100, offset: 0 })).items;
  const pick = (index: number) => books[index % Math.max(1, books.length)]!;
  const classes = ['高一(1)班', '高一(2)班', '高一(3)班', '高二(1)班', '高二(2)班'];
  const courses = [
    { course: '语文', book: pick(3) },
    { course: '语文', book: pick(7) },
    { course: '历史', book: pick(11) },
    { course: '思想政治', book: pick(15) },
  ];
  const orders = classes.flatMap((className, classIndex) =>
    courses.filter((_, courseIndex) => classIndex < 3 || courseIndex !== 2).map(({ course, book }) => [course, className, book.isbn, book.title, 42 + ((classIndex * 3) % 7)] as (string | number)[]),
  );
  // The school's sheet as the 教务处 sends it, imported as a rep would from the phone; a late class is typed in by hand.
  const sheet = await workbook(['课程', '班级', 'ISBN', '书名', '征订数'], orders);
  await importSubscriptionOrders(context.db, zhengkai, project.id, { fileName: '南师附中高一高二教材征订汇总.xlsx', content: sheet }, { dryRun: false, mode: 'merge' }, dataDir, momentAt(context, 4));
  const lateClass = courses.map(({ course, book }) => ({ course, className: '高二(3)班', isbn: book.isbn, quantity: 40 }));
  await addSubscriptionOrders(context.db, zhengkai, project.id, subscriptionOrdersCreateSchema.parse({ orders: lateClass }), momentAt(context, 2));
}

/** Reps whose customers are searched, in order, for one with a visit, quote, contract and receipt to link. */
const linkingReps = ['zhangwei01', 'lina01', 'sunli01', 'machao01', 'hejing01', 'luobin01', 'liuyang01', 'xuting01'];

/**
 * Creates a project whose 关联 tab shows one visit, quote, contract and receipt of its customer, each
 * linked by its rep through the same service the phone calls. Skipped when no customer has all four.
 */
async function seedLinkedActivityProject(context: DemoSeedContext): Promise<void> {
  const found = await findCustomerWithEveryActivity(context);
  if (!found) {
    context.logger.warn('demo project with linked records skipped: no customer has a visit, quote, contract and receipt');
    return;
  }
  const { rep, customer, records } = found;
  const today = momentAt(context, 0).today;
  let kind = 'other';
  if (customer.type === 'library') kind = 'library_supply';
  if (customer.type === 'corporate' || customer.type === 'institution') kind = 'group_purchase';
  const project = await createProject(
    context.db,
    rep,
    projectCreateSchema.parse({
      kind,
      name: `${customer.name}${today.slice(0, 4)}年度重点合作`,
      customerIds: [customer.id],
      budgetFen: 30_000_000,
      startDate: addDays(today, -60),
      endDate: addDays(today, 120),
      description: '年度供货框架下的重点合作：拜访、报价、合同和回款都关联在本项目，便于对照进度。',
      milestones: [
        { name: '需求确认', dueDate: addDays(today, -50) },
        { name: '报价', dueDate: addDays(today, -30) },
        { name: '签约', dueDate: addDays(today, -15) },
        { name: '供货', dueDate: addDays(today, 30) },
        { name: '回款', dueDate: addDays(today, 90) },
      ],
    }),
    momentAt(context, 60),
  );
  for (const [index, days] of [50, 32, 14].entries()) {
    await changeMilestone(context.db, rep, project.id, project.milestones[index]!.id, { doneDate: addDays(today, -days) }, momentAt(context, days));
  }
  for (const [refType, refId] of records) {
    await linkRecordToProject(context.db, rep, project.id, { refType, refId }, momentAt(context, 1));
  }
}

async function findCustomerWithEveryActivity(context: DemoSeedContext) {
  for (const userid of linkingReps) {
    if (!context.userIds.has(userid)) continue;
    const rep = await actorOf(context, userid);
    const contracts = (await listContracts(context.db, rep, contractListQuerySchema.parse({ limit: 50 }))).items.filter((contract) => contract.owner.id === rep.id);
    for (const contract of contracts) {
      const customerId = contract.customer.id;
      const [visits, quotes, receipts] = await Promise.all([
        listVisits(context.db, rep, { customerId, limit: 1 }),
        listQuotes(context.db, rep, quoteListQuerySchema.parse({ customerId, limit: 1 }), context.now),
        listReceiptsForActor(context.db, rep, { customerId, limit: 1, offset: 0 }),
      ]);
      const visit = visits.items[0];
      const quote = quotes.items[0];
      const receipt = receipts.items[0];
      if (!visit || !quote || !receipt) continue;
      const customer = await getVisibleCustomerOrThrow(context.db, rep, customerId);
      const records: [LinkCandidateType, number][] = [
        ['visit', visit.id],
        ['quote', quote.id],
        ['contract', contract.id],
        ['receipt', receipt.id],
      ];
      return { rep, customer, records };
    }
  }
  return undefined;
}

/** Monthly targets from five months ago to next month: each team leader sets their reps', the executive the teams' and the leaders'. */
async function seedTargets(context: DemoSeedContext): Promise<void> {
  const executive = await actorOf(context, 'chenguodong01');
  const currentMonth = momentAt(context, 0).today.slice(0, 7);
  const months = Array.from({ length: 7 }, (_, index) => shiftMonth(currentMonth, index - 5));
  const teams: { leader: string; department: string; reps: string[]; scale: number }[] = [
    { leader: 'wanglei01', department: '华东片区', reps: ['zhangwei01', 'lina01', 'liuyang01'], scale: 1.2 },
    { leader: 'zhaozhiqiang01', department: '华北片区', reps: ['sunli01', 'machao01'], scale: 1 },
    { leader: 'yangfan01', department: '西南片区', reps: ['hejing01', 'luobin01'], scale: 0.8 },
    { leader: 'wuhaiyan01', department: '教材中心', reps: ['zhengkai01'], scale: 1.5 },
    { leader: 'huangxiaoming01', department: '馆配部', reps: ['xuting01'], scale: 2 },
  ];
  const departments = await context.db.selectFrom('department').select(['id', 'name']).execute();

  for (const [monthIndex, month] of months.entries()) {
    const seasonal = 1 + ((monthIndex % 3) - 1) * 0.1;
    const executiveItems = [];
    for (const [teamIndex, team] of teams.entries()) {
      const leader = await actorOf(context, team.leader);
      const perRepFen = Math.round((team.scale * seasonal * 40_000_000) / 1_000_000) * 1_000_000;
      const repItems = team.reps.flatMap((userid, repIndex) => {
        const userId = context.userIds.get(userid)!;
        const contract = perRepFen + repIndex * 5_000_000;
        return [
          { subjectType: 'user' as const, subjectId: userId, metric: 'contract_amount' as const, value: contract },
          { subjectType: 'user' as const, subjectId: userId, metric: 'receipts' as const, value: Math.round((contract * 0.85) / 1_000_000) * 1_000_000 },
          { subjectType: 'user' as const, subjectId: userId, metric: 'new_customers' as const, value: 2 + ((repIndex + monthIndex) % 3) },
          { subjectType: 'user' as const, subjectId: userId, metric: 'visits' as const, value: 36 + ((repIndex * 4 + teamIndex) % 12) },
        ];
      });
      await saveTargets(context.db, leader, { month, items: repItems }, momentAt(context, 3).now);

      const leaderId = context.userIds.get(team.leader)!;
      const departmentId = departments.find((department) => department.name === team.department)?.id;
      const teamContract = perRepFen * (team.reps.length + 1) + 10_000_000;
      executiveItems.push(
        { subjectType: 'user' as const, subjectId: leaderId, metric: 'contract_amount' as const, value: perRepFen },
        { subjectType: 'user' as const, subjectId: leaderId, metric: 'receipts' as const, value: Math.round((perRepFen * 0.85) / 1_000_000) * 1_000_000 },
      );
      if (departmentId !== undefined) {
        executiveItems.push(
          { subjectType: 'department' as const, subjectId: departmentId, metric: 'contract_amount' as const, value: teamContract },
          { subjectType: 'department' as const, subjectId: departmentId, metric: 'receipts' as const, value: Math.round((teamContract * 0.85) / 1_000_000) * 1_000_000 },
        );
      }
    }
    await saveTargets(context.db, executive, { month, items: executiveItems }, momentAt(context, 3).now);
  }
}
