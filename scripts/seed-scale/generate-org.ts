import type { Role } from '../../shared/src/roles.js';
import { orgDepartments, orgUsers, ROOT_DEPARTMENT_ID } from '../fake-platform/org.js';
import { personName, surnameChoices } from './chinese-names.js';
import type { GenerationContext, OrgMember, OrgModel } from './context.js';
import { instantAt } from './calendar.js';
import { WeightedTable } from './random.js';

/**
 * The organisation: the demo org of the fake platform (same platform user ids, so the bench logs in as
 * them through the fake platform) plus regions and teams of generated reps under 发行部, 教材中心 and
 * 馆配部. The demo managers lead one generated team each on top of their own department, so their scope
 * spans many reps. Customer types per team follow what the department sells to.
 */

const PLATFORM = 'dingtalk';
const DISTRIBUTION_DEPARTMENT_ID = 3;
const TEXTBOOK_CENTRE_ID = 7;
const LIBRARY_SUPPLY_ID = 8;

/** Customer type index (see customerTypeCodes) → weight. */
const regionMix = [[1, 20], [2, 35], [4, 25], [0, 2], [5, 8], [6, 7], [3, 2], [7, 1]] as const;
const textbookMix = [[4, 85], [5, 10], [7, 5]] as const;
const libraryMix = [[3, 80], [4, 10], [5, 10]] as const;

interface SalesUnit {
  departmentId: number;
  name: string;
  shortName: string;
  provinces: string[];
  mix: readonly (readonly [number, number])[];
  /** Relative share of the generated teams. */
  weight: number;
}

const existingUnits: SalesUnit[] = [
  { departmentId: 4, name: '华东片区', shortName: '华东', provinces: ['32', '33', '31', '34', '35', '36', '37'], mix: regionMix, weight: 3 },
  { departmentId: 5, name: '华北片区', shortName: '华北', provinces: ['11', '12', '13', '14', '15'], mix: regionMix, weight: 2 },
  { departmentId: 6, name: '西南片区', shortName: '西南', provinces: ['51', '50', '52', '53', '54'], mix: regionMix, weight: 2 },
  { departmentId: TEXTBOOK_CENTRE_ID, name: '教材中心', shortName: '教材', provinces: ['32', '33'], mix: textbookMix, weight: 1.5 },
  {
    departmentId: LIBRARY_SUPPLY_ID,
    name: '馆配部',
    shortName: '馆配',
    provinces: ['11', '31', '32', '33', '42', '44', '51', '61', '37', '43', '21', '50'],
    mix: libraryMix,
    weight: 1,
  },
];

const newRegions: Omit<SalesUnit, 'departmentId'>[] = [
  { name: '华南片区', shortName: '华南', provinces: ['44', '45', '46'], mix: regionMix, weight: 2 },
  { name: '华中片区', shortName: '华中', provinces: ['42', '43', '41'], mix: regionMix, weight: 2 },
  { name: '西北片区', shortName: '西北', provinces: ['61', '62', '63', '64', '65'], mix: regionMix, weight: 1 },
  { name: '东北片区', shortName: '东北', provinces: ['21', '22', '23'], mix: regionMix, weight: 1 },
];

const chineseNumbers = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function chineseOrdinal(value: number): string {
  if (value <= 10) return chineseNumbers[value - 1]!;
  if (value < 20) return `十${chineseNumbers[value - 11]!}`;
  const tens = Math.floor(value / 10);
  const ones = value % 10;
  return `${chineseNumbers[tens - 1]!}十${ones === 0 ? '' : chineseNumbers[ones - 1]!}`;
}

export function generateOrg(context: GenerationContext): void {
  const { random, profile } = context;
  const createdAt = instantAt(context.startDay - 30, 9 * 60);
  const departmentNames = new Map<number, string>();
  const departmentPaths = new Map<number, string>();
  const departmentLeaders = new Map<number, number[]>();
  const members: OrgMember[] = [];

  const insertDepartment = (id: number, platformId: string, name: string, parentId: number | null, sortOrder: number) => {
    const path = `${parentId === null ? '/' : departmentPaths.get(parentId)!}${id}/`;
    departmentPaths.set(id, path);
    departmentNames.set(id, name);
    context.insert('department', { id, platform: PLATFORM, platform_department_id: platformId, name, parent_id: parentId, path, sort_order: sortOrder, active: 1, synced_at: createdAt });
  };
  const insertUser = (id: number, platformUserId: string, name: string, title: string, departments: { id: number; leader: boolean }[], roles: Role[]) => {
    context.insert('app_user', {
      id,
      platform: PLATFORM,
      platform_user_id: platformUserId,
      union_id: `dd-union-${platformUserId}`,
      name,
      title,
      avatar_url: null,
      active: 1,
      left_at: null,
      synced_at: createdAt,
      created_at: createdAt,
    });
    for (const department of departments) {
      context.insert('user_department', { user_id: id, department_id: department.id, is_leader: department.leader ? 1 : 0 });
      if (department.leader) departmentLeaders.set(department.id, [...(departmentLeaders.get(department.id) ?? []), id]);
    }
    for (const role of roles) context.insert('user_role', { user_id: id, role, granted_by: null, granted_at: createdAt });
  };

  // Demo departments keep their fake-platform ids as local ids, parents before children.
  for (const department of [...orgDepartments].sort((a, b) => (a.parentId ?? 0) - (b.parentId ?? 0) || a.id - b.id)) {
    insertDepartment(department.id, String(department.id), department.name, department.parentId, department.order);
  }
  let nextDepartmentId = Math.max(...orgDepartments.map((department) => department.id)) + 1;
  const units: SalesUnit[] = [...existingUnits];
  for (const [index, region] of newRegions.entries()) {
    const id = nextDepartmentId++;
    insertDepartment(id, `bench-${id}`, region.name, DISTRIBUTION_DEPARTMENT_ID, 10 + index);
    units.push({ ...region, departmentId: id });
  }

  // Demo users first, with the same ids in every dataset (1…26 in org.ts order).
  let nextUserId = 1;
  const demoIds = new Map<string, number>();
  for (const user of orgUsers) {
    const id = nextUserId++;
    demoIds.set(user.userid, id);
    insertUser(id, user.userid, user.name, user.title, user.departmentIds.map((departmentId) => ({ id: departmentId, leader: user.leaderOf.includes(departmentId) })), user.roles);
  }
  const unitOfDepartment = new Map(units.map((unit) => [unit.departmentId, unit]));
  for (const user of orgUsers) {
    const unit = unitOfDepartment.get(user.departmentIds[0]!);
    members.push({
      id: demoIds.get(user.userid)!,
      platformUserId: user.userid,
      name: user.name,
      departmentId: user.departmentIds[0]!,
      isRep: user.roles.includes('rep'),
      leaderId: null,
      provinceCodes: unit ? unit.provinces.slice(0, 1) : [],
      customerMix: unit?.mix ?? regionMix,
    });
  }

  // Generated teams: each new region gets a generated regional manager; teams split the generated reps.
  const surnames = new WeightedTable(surnameChoices);
  const demoRepCount = members.filter((member) => member.isRep).length;
  const generatedReps = Math.max(0, profile.reps - demoRepCount);
  const teamCount = Math.ceil(generatedReps / profile.teamSize);
  const unitTable = new WeightedTable(units.map((unit) => [unit, unit.weight] as const));
  const teamsPerUnit = new Map<number, number>();
  let benchSerial = 1;
  const nextBenchUserId = () => `bench${String(benchSerial++).padStart(5, '0')}`;

  let repsLeft = generatedReps;
  for (const unit of units.filter((candidate) => !departmentLeaders.has(candidate.departmentId))) {
    const id = nextUserId++;
    const platformUserId = nextBenchUserId();
    const name = personName(random, surnames);
    insertUser(id, platformUserId, name, `${unit.name}经理`, [{ id: unit.departmentId, leader: true }], ['rep', 'manager']);
    members.push({ id, platformUserId, name, departmentId: unit.departmentId, isRep: true, leaderId: null, provinceCodes: unit.provinces.slice(0, 1), customerMix: unit.mix });
    repsLeft -= 1;
  }

  for (let team = 0; team < teamCount && repsLeft > 0; team += 1) {
    const unit = team < units.length ? units[team]! : unitTable.draw(random);
    const ordinal = (teamsPerUnit.get(unit.departmentId) ?? 0) + 1;
    teamsPerUnit.set(unit.departmentId, ordinal);
    const teamId = nextDepartmentId++;
    const teamName = `${unit.shortName}${chineseOrdinal(ordinal)}组`;
    insertDepartment(teamId, `bench-${teamId}`, teamName, unit.departmentId, 100 + ordinal);
    const province = unit.provinces[(ordinal - 1) % unit.provinces.length]!;

    // The first team of a department led by a demo manager is led by that manager as well.
    const demoLeader = ordinal === 1 ? orgUsers.find((user) => user.leaderOf.includes(unit.departmentId) && user.roles.includes('manager')) : undefined;
    if (demoLeader) {
      const leaderId = demoIds.get(demoLeader.userid)!;
      context.insert('user_department', { user_id: leaderId, department_id: teamId, is_leader: 1 });
      departmentLeaders.set(teamId, [leaderId]);
    }

    const size = Math.min(repsLeft, profile.teamSize);
    for (let seat = 0; seat < size; seat += 1) {
      const leads = !demoLeader && seat === 0;
      const id = nextUserId++;
      const platformUserId = nextBenchUserId();
      const name = personName(random, surnames);
      insertUser(id, platformUserId, name, leads ? `${teamName}组长` : `${unit.name}业务员`, [{ id: teamId, leader: leads }], leads ? ['rep', 'manager'] : ['rep']);
      members.push({ id, platformUserId, name, departmentId: teamId, isRep: true, leaderId: null, provinceCodes: [province], customerMix: unit.mix });
    }
    repsLeft -= size;
  }

  // The leader the first approval step resolves to: the nearest leader above the user's main department.
  const parentOf = new Map<number, number | null>();
  for (const [id, path] of departmentPaths) {
    const parts = path.split('/').filter(Boolean).map(Number);
    parentOf.set(id, parts.length > 1 ? parts[parts.length - 2]! : null);
  }
  for (const member of members) {
    let department: number | null = member.departmentId;
    while (department !== null) {
      const leaders = (departmentLeaders.get(department) ?? []).filter((leader) => leader !== member.id);
      if (leaders.length > 0) {
        member.leaderId = leaders[0]!;
        break;
      }
      department = parentOf.get(department) ?? null;
    }
    if (member.leaderId === null && member.departmentId !== ROOT_DEPARTMENT_ID) member.leaderId = demoIds.get('chenguodong01')!;
  }

  const byPlatformId = new Map(members.map((member) => [member.platformUserId, member]));
  const idOf = (userid: string) => demoIds.get(userid)!;
  context.org = {
    members,
    reps: members.filter((member) => member.isRep),
    byPlatformId,
    financeLeaderId: idOf('zhuhongmei01'),
    financeClerkId: idOf('gaoxiang01'),
    legalIds: [idOf('huming01'), idOf('guojia01')],
    executiveId: idOf('chenguodong01'),
    sealKeeperId: idOf('fengxue01'),
    adminId: idOf('xuzhiyuan01'),
    departmentNames,
  } satisfies OrgModel;
}
