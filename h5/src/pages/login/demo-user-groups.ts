import { roleLabels, roleSchema } from '@shared/roles';
import type { FakeUser } from '../../api/fake-platform';

export interface DemoUserGroup {
  department: string;
  users: FakeUser[];
}

const NO_DEPARTMENT = '未分配部门';

/** Group users under their first (primary) department, keeping the order in which departments first appear. */
export function groupByDepartment(users: readonly FakeUser[]): DemoUserGroup[] {
  const groups = new Map<string, FakeUser[]>();

  for (const user of users) {
    const department = user.departments[0] ?? NO_DEPARTMENT;
    const members = groups.get(department) ?? [];
    members.push(user);
    groups.set(department, members);
  }

  return Array.from(groups, ([department, members]) => ({ department, users: members }));
}

/** Return the Chinese labels of the roles in `roleSchema`, in the given order. Unknown role names are skipped. */
export function roleLabelsOf(roles: readonly string[]): string[] {
  return roles.flatMap((role) => {
    const parsed = roleSchema.safeParse(role);
    return parsed.success ? [roleLabels[parsed.data]] : [];
  });
}
