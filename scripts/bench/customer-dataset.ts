import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../server/src/db/database.js';
import { migrateToLatest } from '../../server/src/db/migrate.js';
import { createLogger } from '../../server/src/logger.js';
import { applyOrgSnapshot } from '../../server/src/modules/org/org.service.js';
import { replaceUserRoles } from '../../server/src/modules/org/org.repository.js';
import { buildSearchKeys, buildSearchTerms } from '../../server/src/modules/customer/customer.rules.js';
import { customerTypes } from '../../shared/src/customer-rules.js';
import { orgDepartments, orgUsers } from '../fake-platform/org.js';

/**
 * A customer-center dataset for the search benchmark: the demo organisation plus generated reps (200 in
 * all), 100,000 customers across real counties (a tenth in the pool) and 300,000 contacts. Written with
 * prepared statements in one transaction; the app's own search keys (pinyin, initials) are computed for
 * every name exactly as the app stores them.
 */
export interface CustomerDatasetOptions {
  dir: string;
  customers: number;
  contactsPerCustomer: number;
  reps: number;
  log: (line: string) => void;
}

let state = 20_240_901;
function random(): number {
  // Deterministic LCG so every run measures the same data.
  state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
  return state / 2_147_483_648;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const words = ['晨光', '悦读', '博文', '知行', '明德', '青云', '墨香', '书香', '弘文', '启明', '翰林', '致远', '求是', '文华', '新知', '嘉禾', '春晖', '静思', '南风', '北辰'];
const schools = ['第一中学', '第二中学', '实验中学', '实验小学', '外国语学校', '第三小学', '职业中学', '师范附属小学'];
const libraries = ['图书馆', '少年儿童图书馆', '大学图书馆', '职业技术学院图书馆', '师范学院图书馆'];
const platforms = ['当当网', '京东图书', '天猫图书', '拼多多图书', '抖音电商', '博库网', '文轩网'];
const institutions = ['文化馆', '档案馆', '党校', '总工会', '团委', '妇联'];
const companies = ['科技', '实业', '贸易', '文化传媒', '教育咨询', '商贸'];
const surnames = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const given = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平'];

function customerName(type: string, city: string, county: string): string {
  const place = city === '市辖区' ? county : city.replace(/市$/, '');
  switch (type) {
    case 'xinhua_store':
      return `${place}新华书店${county}${pick(['分店', '书城', '门市部', '图书大厦'])}`;
    case 'private_store':
      return `${place}${pick(words)}${pick(['书店', '书屋', '书局', '书社', '文化书店'])}`;
    case 'library':
      return `${place}${pick(words)}${pick(libraries)}`;
    case 'school':
      return `${place}${county}${pick(schools)}`;
    case 'online_platform':
      return `${pick(platforms)}${place}运营中心`;
    case 'institution':
      return `${place}${county}${pick(institutions)}`;
    case 'corporate':
      return `${place}${pick(words)}${pick(companies)}有限公司`;
    default:
      return `${place}${pick(words)}读书会`;
  }
}

export async function generateCustomerDataset(options: CustomerDatasetOptions): Promise<string> {
  const file = path.join(options.dir, 'app.sqlite');
  fs.mkdirSync(options.dir, { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });

  const { db } = openDatabase(file);
  const now = new Date();
  await migrateToLatest(db, createLogger('silent'));
  const generatedReps = Array.from({ length: Math.max(0, options.reps - orgUsers.filter((user) => user.roles.includes('rep')).length) }, (_, index) => ({
    userid: `bench-rep-${index + 1}`,
    name: `${pick(surnames)}${pick(given)}${index + 1}`,
    departmentIds: [pick([4, 5, 6, 7, 8])],
  }));
  await applyOrgSnapshot(
    db,
    'dingtalk',
    {
      departments: orgDepartments.map((department) => ({
        id: String(department.id),
        name: department.name,
        parentId: department.parentId === null ? null : String(department.parentId),
        order: department.order,
        leaderUserIds: orgUsers.filter((user) => user.leaderOf.includes(department.id)).map((user) => user.userid),
      })),
      users: [
        ...orgUsers.map((user) => ({ userId: user.userid, name: user.name, title: user.title, avatarUrl: null, unionId: user.unionid, departmentIds: user.departmentIds.map(String), leaderOfDepartmentIds: user.leaderOf.map(String), active: true })),
        ...generatedReps.map((rep) => ({ userId: rep.userid, name: rep.name, title: '业务员', avatarUrl: null, unionId: null, departmentIds: rep.departmentIds.map(String), leaderOfDepartmentIds: [], active: true })),
      ],
    },
    now,
    createLogger('silent'),
  );
  for (const user of [...orgUsers, ...generatedReps.map((rep) => ({ ...rep, roles: ['rep' as const] }))]) {
    const row = await db.selectFrom('app_user').select('id').where('platform_user_id', '=', user.userid).executeTakeFirstOrThrow();
    await replaceUserRoles(db, row.id, user.roles, null, now);
  }
  await db.destroy();

  writeCustomers(file, options, now);
  return file;
}

function writeCustomers(file: string, options: CustomerDatasetOptions, now: Date): void {
  const sqlite = new SQLite(file);
  sqlite.pragma('synchronous = OFF');
  const reps = sqlite
    .prepare("select app_user.id, (select department_id from user_department where user_id = app_user.id limit 1) as department_id from app_user join user_role on user_role.user_id = app_user.id where user_role.role = 'rep'")
    .all() as { id: number; department_id: number }[];
  const counties = sqlite.prepare("select county.code, county.name, county.parent_code as city_code, county.province_code, city.name as city_name from region county join region city on city.code = county.parent_code where county.level = 'county' and county.province_code in ('32','33','34','31','36','51','11','44')").all() as {
    code: string;
    name: string;
    city_code: string;
    province_code: string;
    city_name: string;
  }[];

  const insertCustomer = sqlite.prepare(`insert into customer (name, name_key, short_name, name_pinyin, name_initials, search_text, type, stage, stage_changed_at, credit_code,
    province_code, city_code, county_code, address, tags, owner_id, owned_since, department_id, released_at, release_reason, last_followed_up_at, created_by, created_at, updated_at, version)
    values (@name, @name_key, null, @name_pinyin, @name_initials, @search_text, @type, @stage, @at, null, @province_code, @city_code, @county_code, null, '[]', @owner_id, @owned_since,
    @department_id, @released_at, @release_reason, @last_followed_up_at, null, @created_at, @updated_at, 1)`);
  const insertContact = sqlite.prepare(`insert into contact (customer_id, name, title, role, mobile, landline, email, is_key, notes, created_by, created_at, updated_at)
    values (?, ?, null, ?, ?, null, null, ?, null, null, ?, ?)`);

  const insertTerm = sqlite.prepare('insert or ignore into customer_search_term (term, customer_id) values (?, ?)');
  const usedKeys = new Set<string>();
  let mobile = 13_000_000_000;
  const stages = ['potential', 'potential', 'target', 'target', 'won', 'won', 'won', 'lost'];
  sqlite.transaction(() => {
    for (let index = 0; index < options.customers; index += 1) {
      const type = pick(customerTypes);
      const county = pick(counties);
      let name = customerName(type, county.city_name, county.name);
      let keys = buildSearchKeys(name, null, null);
      for (let suffix = 2; usedKeys.has(keys.nameKey); suffix += 1) {
        name = `${customerName(type, county.city_name, county.name)}（${suffix}）`;
        keys = buildSearchKeys(name, null, null);
      }
      usedKeys.add(keys.nameKey);

      const inPool = random() < 0.1;
      const rep = pick(reps);
      const created = new Date(now.getTime() - Math.floor(random() * 1000) * 86_400_000).toISOString();
      const followed = random() < 0.8 ? new Date(now.getTime() - Math.floor(random() * 200) * 86_400_000).toISOString() : null;
      const result = insertCustomer.run({
        name,
        name_key: keys.nameKey,
        name_pinyin: keys.namePinyin,
        name_initials: keys.nameInitials,
        search_text: keys.searchText,
        type,
        stage: pick(stages),
        at: created,
        province_code: county.province_code,
        city_code: county.city_code,
        county_code: county.code,
        owner_id: inPool ? null : rep.id,
        owned_since: inPool ? null : created,
        department_id: inPool ? null : rep.department_id,
        released_at: inPool ? created : null,
        release_reason: inPool ? '数据生成' : null,
        last_followed_up_at: followed,
        created_at: created,
        updated_at: followed ?? created,
      });
      for (const term of buildSearchTerms(name, null, null)) insertTerm.run(term, Number(result.lastInsertRowid));
      for (let contact = 0; contact < options.contactsPerCustomer; contact += 1) {
        mobile += 7;
        insertContact.run(Number(result.lastInsertRowid), `${pick(surnames)}${pick(given)}`, pick(['purchaser', 'decision_maker', 'finance', 'other']), String(mobile), contact === 0 ? 1 : 0, created, created);
      }
      if ((index + 1) % 20_000 === 0) options.log(`  ${index + 1} customers`);
    }
  })();
  sqlite.exec('analyze');
  sqlite.close();
}
