import { describe, expect, it } from 'vitest';
import { groupByDepartment, roleLabelsOf } from './demo-user-groups';

const user = (userid: string, departments: string[]) => ({ userid, name: userid, title: null, departments, roles: [] });

describe('groupByDepartment', () => {
  it('groups by primary department in order of appearance', () => {
    const groups = groupByDepartment([user('a', ['华东片区']), user('b', ['财务部']), user('c', ['华东片区', '财务部'])]);

    expect(groups.map((group) => group.department)).toEqual(['华东片区', '财务部']);
    expect(groups[0]?.users.map((member) => member.userid)).toEqual(['a', 'c']);
  });

  it('puts users without a department in their own group', () => {
    expect(groupByDepartment([user('a', [])])[0]?.department).toBe('未分配部门');
  });
});

describe('roleLabelsOf', () => {
  it('labels known roles and skips unknown ones', () => {
    expect(roleLabelsOf(['rep', 'intern', 'seal_keeper'])).toEqual(['销售代表', '印章管理员']);
  });
});
