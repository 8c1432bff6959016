import type { KpiTableRow } from '@shared/api/kpi.js';
import { deriveKpiFigures } from '@shared/kpi-rules.js';
import { targetMetricSchema } from '@shared/api/target.js';
import type { DbExecutor } from '../../db/database.js';
import { loadTargetBook, type TargetTotals } from '../target/target.service.js';
import { sumOwners, type KpiFacts } from './kpi.facts.js';
import * as kpiRepository from './kpi.repository.js';
import type { ResolvedSubject } from './kpi.subject.js';
import { attainmentOf, chineseCollator, indexTargetBook } from './kpi.targets.js';

export interface DepartmentRowsRequest {
  /** Department whose children become rows; null for the root department. */
  parentId: number | null;
  scope: ResolvedSubject;
  facts: KpiFacts;
  /** Distinct (owner, customer) pairs visited in the period, for covered customers per row. */
  pairs: { ownerId: number; customerId: number }[];
  months: string[];
}

/**
 * KPI rows of a department's children: each row totals the child's whole subtree, counting only owners
 * the caller may see, so a row equals the dashboard of that department. Members placed directly in the
 * parent get a row of their own, so the rows cover every member. Rows without reps and without any
 * figure are left out. A person who belongs to two sibling
 * departments counts in both rows, so rows can add up to more than the total.
 */
export async function departmentRowsOf(db: DbExecutor, request: DepartmentRowsRequest): Promise<KpiTableRow[]> {
  const departments = await kpiRepository.listAllDepartments(db);
  const parent = request.parentId === null ? departments.find((department) => department.parent_id === null) : departments.find((department) => department.id === request.parentId);
  if (!parent) return [];

  const memberships = await kpiRepository.listMembershipPaths(db);
  const reps = await kpiRepository.listRepIds(db);
  const visible = visibilityOf(request.scope);
  // Departments without reps or records (finance, legal, editorial) would only add rows of zeros.
  const worthShowing = (members: number[], figures: KpiTableRow['figures']) => members.some((id) => reps.has(id)) || Object.values(figures).some((value) => value !== 0);
  const membersUnder = (path: string) => [...new Set(memberships.filter((row) => row.path.startsWith(path)).map((row) => row.user_id))];
  const children = departments.filter((department) => department.parent_id === parent.id);
  const inChildren = new Set(children.flatMap((child) => membersUnder(child.path)));
  const direct = [...new Set(memberships.filter((row) => row.path === parent.path && !inChildren.has(row.user_id)).map((row) => row.user_id))];

  const targets = indexTargetBook(await loadTargetBook(db, request.months, { userIds: membersUnder(parent.path), departmentIds: children.map((child) => child.id) }));
  const rows: KpiTableRow[] = [];

  for (const child of children) {
    const members = membersUnder(child.path);
    const seen = members.filter(visible);
    const figures = figuresOf(request, seen);
    if (seen.length === 0 || !worthShowing(seen, figures)) continue;
    const rowTargets = targets.departmentTargets(child.id, members);
    rows.push({
      subjectType: 'department',
      subjectId: child.id,
      name: child.name,
      groupName: null,
      figures,
      targets: rowTargets,
      attainment: attainmentOf(figures, rowTargets),
      childDepartmentCount: departments.filter((department) => department.parent_id === child.id).length,
      directMembers: false,
    });
  }

  const directSeen = direct.filter(visible);
  const directFigures = figuresOf(request, directSeen);
  if (directSeen.length > 0 && worthShowing(directSeen, directFigures)) {
    const figures = directFigures;
    const rowTargets = sumUserTargets(directSeen.map((userId) => targets.userTargets(userId)));
    rows.push({
      subjectType: 'department',
      subjectId: parent.id,
      name: `${parent.name}（直属）`,
      groupName: null,
      figures,
      targets: rowTargets,
      attainment: attainmentOf(figures, rowTargets),
      childDepartmentCount: 0,
      directMembers: true,
    });
  }

  return rows.sort((a, b) => Number(a.directMembers) - Number(b.directMembers) || b.figures.receiptsFen - a.figures.receiptsFen || chineseCollator.compare(a.name, b.name));
}

/** Returns whether an owner's figures are in the table. Business and money scopes differ (finance may read all money), so either one counts. */
function visibilityOf(scope: ResolvedSubject): (userId: number) => boolean {
  if (!scope.businessOwners || !scope.moneyOwners) return () => true;
  const owners = new Set([...scope.businessOwners, ...scope.moneyOwners]);
  return (userId) => owners.has(userId);
}

function figuresOf(request: DepartmentRowsRequest, members: number[]) {
  const counts = sumOwners(request.facts, members);
  // Distinct customers do not add up across members: count them for the row as a whole.
  const inRow = new Set(members);
  counts.customersCovered = new Set(request.pairs.filter((pair) => inRow.has(pair.ownerId)).map((pair) => pair.customerId)).size;
  return deriveKpiFigures(counts);
}

function sumUserTargets(all: TargetTotals[]): TargetTotals {
  const total: TargetTotals = { contract_amount: null, receipts: null, new_customers: null, visits: null };
  for (const targets of all) {
    for (const metric of targetMetricSchema.options) {
      if (targets[metric] !== null) total[metric] = (total[metric] ?? 0) + targets[metric]!;
    }
  }
  return total;
}
