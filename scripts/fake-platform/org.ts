import type { Role } from '../../shared/src/roles.js';

/**
 * The demo organisation both fake platforms serve: 江南文艺出版社, a fictional provincial publishing house.
 * Department ids are the same integers on DingTalk (root = 1) and WeCom. `roles` is what the demo seeding
 * grants each user locally; the platforms themselves know nothing of roles.
 */

export interface OrgDepartment {
  id: number;
  name: string;
  parentId: number | null;
  /** Position among siblings, smaller first. */
  order: number;
}

export interface OrgUser {
  userid: string;
  /** DingTalk unionid; the to-do API addresses users by it. */
  unionid: string;
  name: string;
  title: string;
  departmentIds: number[];
  /** Departments this user leads (DingTalk dept_manager_userid_list, WeCom is_leader_in_dept). */
  leaderOf: number[];
  roles: Role[];
}

export const ROOT_DEPARTMENT_ID = 1;

export const organisationName = '江南文艺出版社';

export const orgDepartments: OrgDepartment[] = [
  { id: ROOT_DEPARTMENT_ID, name: organisationName, parentId: null, order: 0 },
  { id: 2, name: '总经办', parentId: 1, order: 1 },
  { id: 3, name: '发行部', parentId: 1, order: 2 },
  { id: 4, name: '华东片区', parentId: 3, order: 1 },
  { id: 5, name: '华北片区', parentId: 3, order: 2 },
  { id: 6, name: '西南片区', parentId: 3, order: 3 },
  { id: 7, name: '教材中心', parentId: 1, order: 3 },
  { id: 8, name: '馆配部', parentId: 1, order: 4 },
  { id: 9, name: '财务部', parentId: 1, order: 5 },
  { id: 10, name: '法务部', parentId: 1, order: 6 },
  { id: 11, name: '编辑部', parentId: 1, order: 7 },
  { id: 12, name: '综合办公室', parentId: 1, order: 8 },
];

function user(userid: string, name: string, title: string, departmentIds: number[], leaderOf: number[], roles: Role[]): OrgUser {
  return { userid, unionid: `dd-union-${userid}`, name, title, departmentIds, leaderOf, roles };
}

export const orgUsers: OrgUser[] = [
  user('chenguodong01', '陈国栋', '社长、总经理', [1, 2], [1, 2], ['executive']),
  user('linyaqin01', '林雅琴', '副总经理（分管发行）', [2], [], ['executive']),

  user('zhoujianhua01', '周建华', '发行部主任', [3], [3], ['manager']),
  user('wanglei01', '王磊', '华东片区经理', [4], [4], ['rep', 'manager']),
  user('zhangwei01', '张伟', '华东片区业务主管', [4], [], ['rep']),
  user('lina01', '李娜', '华东片区业务员', [4], [], ['rep']),
  user('liuyang01', '刘洋', '华东片区业务员（兼馆配联络）', [4, 8], [], ['rep']),
  user('zhaozhiqiang01', '赵志强', '华北片区经理', [5], [5], ['rep', 'manager']),
  user('sunli01', '孙丽', '华北片区业务员', [5], [], ['rep']),
  user('machao01', '马超', '华北片区业务员', [5], [], ['rep']),
  user('yangfan01', '杨帆', '西南片区经理', [6], [6], ['rep', 'manager']),
  user('hejing01', '何静', '西南片区业务员', [6], [], ['rep']),
  user('luobin01', '罗斌', '西南片区业务员', [6], [], ['rep']),

  user('wuhaiyan01', '吴海燕', '教材中心主任', [7], [7], ['rep', 'manager']),
  user('zhengkai01', '郑凯', '教材发行专员', [7], [], ['rep']),
  user('huangxiaoming01', '黄晓明', '馆配部主任', [8], [8], ['rep', 'manager']),
  user('xuting01', '徐婷', '馆配专员', [8], [], ['rep']),

  user('zhuhongmei01', '朱红梅', '财务部经理', [9], [9], ['finance']),
  user('gaoxiang01', '高翔', '应收会计', [9], [], ['finance']),
  user('huming01', '胡明', '法务主管', [10], [10], ['legal']),
  user('guojia01', '郭佳', '法务专员', [10], [], ['legal']),
  user('songwenbo01', '宋文博', '编辑部主任', [11], [11], ['editorial']),
  user('tangshiyu01', '唐诗雨', '责任编辑', [11], [], ['editorial']),
  user('handong01', '韩冬', '综合办公室主任', [12], [12], ['seal_keeper', 'admin']),
  user('fengxue01', '冯雪', '行政专员（印章管理）', [12], [], ['seal_keeper']),
  user('xuzhiyuan01', '许志远', '信息化专员', [12], [], ['admin']),
];
