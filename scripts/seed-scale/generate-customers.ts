import { normalizeCustomerName } from '../../shared/src/customer-rules.js';
import { buildSearchKeys, buildSearchTerms } from '../../server/src/modules/customer/customer.rules.js';
import {
  branchWords,
  corporateKinds,
  corporateWords,
  institutionKinds,
  personName,
  platformNames,
  schoolKinds,
  storeKinds,
  storeWords,
  surnameChoices,
} from './chinese-names.js';
import { dateOf, instantAt } from './calendar.js';
import { customerTypeCodes, type CustomerModel, type GenerationContext, type OrgMember } from './context.js';
import { Random, WeightedTable } from './random.js';
import { loadCounties, provinceCentre, type County } from './regions.js';

/**
 * Customers with contacts, stage history and discount agreements. About 10 % are in the public pool,
 * released by their last owner. The rest are spread over the reps, in the provinces of each rep's team.
 */

const POOL_SHARE = 0.1;
const creditCodeAlphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const creditCodeWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const mobilePrefixes = ['139', '138', '137', '136', '135', '158', '159', '186', '187', '188', '130', '131', '132', '155', '156', '133', '153', '180', '181', '189', '177', '199', '191', '150', '151'];

/** Default discount range (basis points) a publisher grants each customer type; the floor sits below it. */
const discountRanges: Record<string, [number, number]> = {
  online_platform: [5000, 5800],
  xinhua_store: [6000, 6800],
  private_store: [6000, 6800],
  library: [7000, 7800],
  school: [7500, 8500],
  institution: [7800, 8800],
  corporate: [7500, 8500],
  other: [7000, 8000],
};

/** Long-run return share of shipped 码洋, basis points, kept inside 5 %–40 %. */
const returnRateRanges: Record<string, [number, number]> = {
  online_platform: [1000, 3000],
  xinhua_store: [1500, 4000],
  private_store: [1500, 4000],
  library: [600, 1000],
  school: [500, 1500],
  institution: [500, 1200],
  corporate: [500, 1000],
  other: [500, 2000],
};

const contactRolesByType: Record<string, readonly (readonly [string, string])[]> = {
  school: [['decision_maker', '校长'], ['teacher', '教务主任'], ['purchaser', '总务主任'], ['finance', '会计']],
  library: [['decision_maker', '馆长'], ['librarian', '采编部主任'], ['purchaser', '采访馆员'], ['finance', '财务']],
  default: [['decision_maker', '总经理'], ['store_manager', '店长'], ['purchaser', '采购主管'], ['finance', '财务主管']],
};

const schoolKindTable = new WeightedTable(schoolKinds);
const branchSuffix: Record<string, string> = { xinhua_store: '店', private_store: '店', online_platform: '店', school: '校区', library: '分馆' };

function creditCode(random: Random, authority: string, countyCode: string): string {
  let body = authority + countyCode.padEnd(6, '0').slice(0, 6);
  for (let index = 0; index < 9; index += 1) body += creditCodeAlphabet[random.int(0, 30)];
  let sum = 0;
  for (let index = 0; index < 17; index += 1) sum += creditCodeAlphabet.indexOf(body[index]!) * creditCodeWeights[index]!;
  return body + creditCodeAlphabet[(31 - (sum % 31)) % 31];
}

/** Registration authority and entity class: 11 government bodies, 12 public institutions, 91 companies. */
function creditCodeAuthority(type: string): string {
  if (type === 'institution') return '11';
  if (type === 'school' || type === 'library') return '12';
  return '91';
}

/** Builds a mobile number unique per serial, because the serial times a prime, modulo a prime above 10^8, is a bijection. */
function mobileOf(serial: number): string {
  const prefix = mobilePrefixes[serial % mobilePrefixes.length]!;
  const body = (Math.floor(serial / mobilePrefixes.length) * 48_271 + 12_345_679) % 99_999_989;
  return prefix + String(body).padStart(8, '0');
}

function customerName(random: Random, type: string, county: County): { name: string; shortName: string | null } {
  switch (type) {
    case 'xinhua_store':
      return random.chance(0.5)
        ? { name: `${county.name}新华书店`, shortName: `${county.name.replace(/(区|县|市)$/, '')}新华` }
        : { name: `${county.cityName}新华书店${random.pick(branchWords)}店`, shortName: null };
    case 'private_store': {
      const word = random.pick(storeWords);
      return { name: `${county.cityShort}${word}${random.pick(storeKinds)}`, shortName: word };
    }
    case 'library':
      return random.weighted([
        [{ name: `${county.name}图书馆`, shortName: null }, 3],
        [{ name: `${county.cityName}图书馆`, shortName: null }, 1],
        [{ name: `${county.cityShort}${random.pick(['大学', '师范学院', '职业技术学院', '理工学院', '医学院'])}图书馆`, shortName: null }, 2],
      ] as const);
    case 'school':
      return { name: `${county.name}${schoolKindTable.draw(random)}`, shortName: null };
    case 'online_platform': {
      const word = random.pick(storeWords);
      return { name: `${random.pick(platformNames)}${word}图书专营店`, shortName: word };
    }
    case 'institution':
      return { name: `${county.cityName}${county.name === county.cityName ? '' : county.name}${random.pick(institutionKinds)}`, shortName: null };
    case 'corporate':
      return { name: `${county.cityShort}${random.pick(corporateWords)}${random.pick(corporateKinds)}`, shortName: null };
    default:
      return { name: `${county.name}${random.pick(['社区阅览室', '农家书屋', '读书会', '职工书屋'])}`, shortName: null };
  }
}

export function generateCustomers(context: GenerationContext): void {
  const random = context.random.fork(3);
  const { profile, org } = context;
  const counties = loadCounties(context.sqlite);
  const allProvinces = [...counties.keys()];
  const surnames = new WeightedTable(surnameChoices);
  const count = profile.customers;
  const model: CustomerModel = {
    count,
    ownerId: new Int32Array(count + 1),
    type: new Uint8Array(count + 1),
    name: [''],
    latitude: new Float64Array(count + 1),
    longitude: new Float64Array(count + 1),
    hasLocation: new Uint8Array(count + 1),
    returnRateBp: new Uint16Array(count + 1),
    defaultDiscount: new Uint16Array(count + 1),
    floorDiscount: new Uint16Array(count + 1),
    firstContactId: new Int32Array(count + 1),
    contactCount: new Uint8Array(count + 1),
    contactName: [''],
    lastVisitMs: new Float64Array(count + 1),
    byOwner: new Map(),
    creditCode: [null],
    buyer: new Uint8Array(count + 1),
  };
  const nameKeys = new Set<string>();
  const creditCodes = new Set<string>();
  const mixTables = new Map<OrgMember, WeightedTable<number>>();
  const indexSearchTerms = context.has('customer_search_term');
  let contactSerial = 0;

  for (let id = 1; id <= count; id += 1) {
    // Owners in turn, so every rep has about the same book of customers; a share goes to the pool.
    const rep = org.reps[(id - 1) % org.reps.length]!;
    const pooled = random.chance(POOL_SHARE);
    let mix = mixTables.get(rep);
    if (!mix) {
      mix = new WeightedTable(rep.customerMix);
      mixTables.set(rep, mix);
    }
    const typeIndex = mix.draw(random);
    const type = customerTypeCodes[typeIndex]!;
    const province = rep.provinceCodes.length > 0 ? random.pick(rep.provinceCodes) : random.pick(allProvinces);
    const county = random.pick(counties.get(province) ?? counties.get(allProvinces[0]!)!);

    // Names are unique by their normalized key; a clash becomes a branch (店, 校区, 分馆) and then a number.
    const base = customerName(random, type, county);
    let name = base.name;
    const shortName = base.shortName;
    let nameKey = normalizeCustomerName(name);
    for (let attempt = 1; nameKeys.has(nameKey); attempt += 1) {
      const branch = attempt <= 8 ? random.pick(branchWords) : `${random.pick(branchWords)}${attempt}`;
      name = `${base.name}（${branch}${branchSuffix[type] ?? ''}）`;
      nameKey = normalizeCustomerName(name);
    }
    nameKeys.add(nameKey);

    const needsCode = !['school', 'library', 'other'].includes(type) || random.chance(0.4);
    let code: string | null = null;
    if (needsCode) {
      const authority = creditCodeAuthority(type);
      do code = creditCode(random, authority, county.code);
      while (creditCodes.has(code));
      creditCodes.add(code);
    }

    const [centreLatitude, centreLongitude] = provinceCentre(province);
    const located = random.chance(0.8);
    const latitude = centreLatitude + (random.next() - 0.5) * 1.4;
    const longitude = centreLongitude + (random.next() - 0.5) * 1.4;
    const createdDay = context.startDay - random.int(0, 720) + (random.chance(0.3) ? random.int(0, context.asOfDay - context.startDay) : 0);
    const createdAt = instantAt(Math.min(createdDay, context.asOfDay), random.int(9 * 60, 17 * 60));
    const ownerId = pooled ? 0 : rep.id;
    const stage = pooled ? random.weighted([['potential', 5], ['lost', 3], ['target', 2]] as const) : random.weighted([['won', 80], ['target', 12], ['potential', 6], ['lost', 2]] as const);
    const keys = buildSearchKeys(name, shortName, code);
    const [discountLow, discountHigh] = discountRanges[type]!;
    const defaultDiscount = Math.round(random.int(discountLow, discountHigh) / 50) * 50;
    const floorDiscount = defaultDiscount - Math.round(random.int(300, 800) / 50) * 50;
    const [returnLow, returnHigh] = returnRateRanges[type]!;

    context.insert('customer', {
      id,
      name,
      name_key: nameKey,
      short_name: shortName,
      name_pinyin: keys.namePinyin,
      name_initials: keys.nameInitials,
      search_text: keys.searchText,
      type,
      stage,
      stage_changed_at: createdAt,
      credit_code: code,
      province_code: county.provinceCode,
      city_code: county.cityCode,
      county_code: county.code,
      address: `${county.provinceName}${county.cityName === county.provinceName ? '' : county.cityName}${county.name}${random.pick(branchWords)}${random.int(1, 399)}号`,
      latitude: located ? latitude : null,
      longitude: located ? longitude : null,
      tags: JSON.stringify(random.chance(0.3) ? [random.pick(['重点客户', '回款慢', '新开发', '教材大户', '馆配招标'])] : []),
      source: random.pick(['老客户', '展会', '转介绍', '陌拜', '招投标', '电话咨询']),
      notes: null,
      owner_id: pooled ? null : rep.id,
      owned_since: pooled ? null : createdAt,
      department_id: pooled ? null : rep.departmentId,
      credit_limit_fen: type === 'school' || type === 'library' ? null : random.int(5, 200) * 1_000_000,
      released_at: pooled ? instantAt(context.asOfDay - random.int(1, 300), 2 * 60) : null,
      release_reason: pooled ? '超过 90 天未跟进，自动回归公海' : null,
      released_by: null,
      last_followed_up_at: null,
      created_by: rep.id,
      created_at: createdAt,
      updated_at: createdAt,
      version: 1,
    });

    // The customer module's search index: one row per term, written on create like the module does.
    if (indexSearchTerms) for (const term of buildSearchTerms(name, shortName, code)) context.insertStaged('customer_search_term', { term, customer_id: id }, ['term', 'customer_id']);

    model.ownerId[id] = ownerId;
    model.type[id] = typeIndex;
    model.name.push(name);
    model.latitude[id] = latitude;
    model.longitude[id] = longitude;
    model.hasLocation[id] = located ? 1 : 0;
    model.returnRateBp[id] = random.int(returnLow, returnHigh);
    model.defaultDiscount[id] = defaultDiscount;
    model.floorDiscount[id] = floorDiscount;
    model.creditCode.push(code);
    model.buyer[id] = stage === 'won' ? 1 : 0;
    if (ownerId !== 0) {
      const owned = model.byOwner.get(ownerId) ?? [];
      owned.push(id);
      model.byOwner.set(ownerId, owned);
    }

    // Contacts: two to four people in the roles this kind of customer has.
    const roles = contactRolesByType[type] ?? contactRolesByType.default!;
    const contacts = Math.max(1, Math.min(roles.length, Math.round(random.around(profile.contactsPerCustomer, 1.2, 1, 4))));
    model.contactCount[id] = contacts;
    for (let seat = 0; seat < contacts; seat += 1) {
      const contactId = context.nextId('contact');
      if (seat === 0) model.firstContactId[id] = contactId;
      const person = personName(random, surnames);
      if (seat === 0) model.contactName.push(person);
      const [role, title] = roles[seat]!;
      context.insert('contact', {
        id: contactId,
        customer_id: id,
        name: person,
        title,
        role,
        mobile: mobileOf(contactSerial++),
        landline: null,
        email: null,
        is_key: seat === 0 ? 1 : 0,
        notes: null,
        created_by: rep.id,
        created_at: createdAt,
        updated_at: createdAt,
      });
    }

    context.insert('customer_timeline', {
      customer_id: id,
      kind: 'created',
      ref_type: 'customer',
      ref_id: String(id),
      title: '创建客户',
      summary: null,
      actor_user_id: rep.id,
      occurred_at: createdAt,
      dedup_key: null,
      created_at: createdAt,
    });
    context.insert('customer_stage_change', { customer_id: id, from_stage: null, to_stage: stage, reason: null, actor_user_id: rep.id, changed_at: createdAt });

    context.insert('discount_agreement', {
      customer_id: id,
      scope: 'customer',
      scope_value: '',
      default_discount: defaultDiscount,
      floor_discount: floorDiscount,
      valid_from: dateOf(Math.min(createdDay, context.asOfDay)),
      valid_to: null,
      updated_by: rep.leaderId ?? rep.id,
      updated_at: createdAt,
    });
    if (type === 'school' || (type === 'xinhua_store' && random.chance(0.5))) {
      const textbookDiscount = Math.min(9500, defaultDiscount + 500);
      context.insert('discount_agreement', {
        customer_id: id,
        scope: 'category',
        scope_value: 'textbook',
        default_discount: textbookDiscount,
        floor_discount: textbookDiscount - 300,
        valid_from: dateOf(Math.min(createdDay, context.asOfDay)),
        valid_to: null,
        updated_by: rep.leaderId ?? rep.id,
        updated_at: createdAt,
      });
    }
  }
  context.customers = model;
}
