import { randomBytes } from 'node:crypto';
import { field, numberField, reply, stringField, type FakeReply, type FakeRequest, type Route } from './http-kit.js';
import { ROOT_DEPARTMENT_ID, type OrgUser } from './org.js';
import type { FakePlatformState } from './state.js';
import { dingtalkTodoRoutes } from './dingtalk-todo-routes.js';

/** DingTalk oapi ("topapi") paths the server calls: HTTP 200 with errcode/errmsg, token in access_token. */

const MAX_PAGE_SIZE = 100;

function ok(body: Record<string, unknown> = {}): FakeReply {
  return reply({ errcode: 0, errmsg: 'ok', ...body, request_id: randomBytes(8).toString('hex') });
}

function fail(errcode: number, errmsg: string): FakeReply {
  return reply({ errcode, errmsg, request_id: randomBytes(8).toString('hex') });
}

/** Returns an error reply for a missing, unknown or expired access_token, or null when it is valid. */
function rejectToken(state: FakePlatformState, request: FakeRequest): FakeReply | null {
  const status = state.checkAccessToken('dingtalk', request.query.get('access_token'));
  if (status === 'missing') {
    return fail(41001, '缺少access_token参数');
  }
  if (status === 'unknown') {
    return fail(40014, '不合法的access_token');
  }
  if (status === 'expired') {
    return fail(42001, 'access_token超时');
  }
  return null;
}

/** Wraps a handler that needs a valid access_token. */
function withToken(state: FakePlatformState, handler: (request: FakeRequest) => FakeReply): (request: FakeRequest) => FakeReply {
  return (request) => rejectToken(state, request) ?? handler(request);
}

function toUserDetail(user: OrgUser) {
  return {
    userid: user.userid,
    unionid: user.unionid,
    name: user.name,
    avatar: '',
    title: user.title,
    dept_id_list: user.departmentIds,
    dept_order_list: user.departmentIds.map((deptId) => ({ dept_id: deptId, order: 0 })),
    leader_in_dept: user.departmentIds.map((deptId) => ({ dept_id: deptId, leader: user.leaderOf.includes(deptId) })),
    active: true,
    admin: user.roles.includes('admin'),
    boss: user.roles.includes('executive') && user.leaderOf.includes(ROOT_DEPARTMENT_ID),
    hide_mobile: false,
    real_authed: true,
    senior: false,
  };
}

export function dingtalkRoutes(state: FakePlatformState): Route[] {
  const settings = state.settings.dingtalk;

  const getToken = (request: FakeRequest): FakeReply => {
    if (request.query.get('appkey') !== settings.appKey || request.query.get('appsecret') !== settings.appSecret) {
      // NOTE: errcode recalled from DingTalk's global error table, not re-checked against a live response.
      return fail(40089, '不合法的appkey或appsecret');
    }
    const issued = state.issueCredential('dingtalk', 'access_token');
    return ok({ access_token: issued.value, expires_in: issued.expiresIn });
  };

  const getJsapiTicket = (): FakeReply => {
    const issued = state.issueCredential('dingtalk', 'jsapi_ticket');
    return ok({ ticket: issued.value, expires_in: issued.expiresIn });
  };

  const exchangeAuthCode = (request: FakeRequest): FakeReply => {
    const code = stringField(request.body, 'code') ?? '';
    const userid = code === '' ? null : state.redeemAuthCode('dingtalk', code);
    const user = userid === null ? undefined : state.findActiveUser(userid);
    if (!user) {
      return fail(40078, '不存在的临时授权码');
    }
    return ok({
      result: {
        userid: user.userid,
        unionid: user.unionid,
        associated_unionid: '',
        name: user.name,
        device_id: randomBytes(8).toString('hex'),
        sys: user.roles.includes('admin'),
        sys_level: user.roles.includes('admin') ? 2 : 0,
      },
    });
  };

  const getUser = (request: FakeRequest): FakeReply => {
    const user = state.findActiveUser(stringField(request.body, 'userid') ?? '');
    return user ? ok({ result: toUserDetail(user) }) : fail(60121, '找不到该用户');
  };

  const getDepartment = (request: FakeRequest): FakeReply => {
    const department = state.findDepartment(numberField(request.body, 'dept_id') ?? Number.NaN);
    if (!department) {
      return fail(60003, '部门不存在');
    }
    return ok({
      result: {
        dept_id: department.id,
        name: department.name,
        ...(department.parentId === null ? {} : { parent_id: department.parentId }),
        order: department.order,
        dept_manager_userid_list: state.leaderIdsOf(department.id),
        create_dept_group: true,
        auto_add_user: true,
        hide_dept: false,
        outer_dept: false,
      },
    });
  };

  const listChildDepartments = (request: FakeRequest): FakeReply => {
    const deptId = numberField(request.body, 'dept_id') ?? ROOT_DEPARTMENT_ID;
    if (!state.findDepartment(deptId)) {
      return fail(60003, '部门不存在');
    }
    const children = state.departments.filter((department) => department.parentId === deptId);
    return ok({
      result: children.map((child) => ({ dept_id: child.id, name: child.name, parent_id: deptId, create_dept_group: true, auto_add_user: true })),
    });
  };

  const listUsers = (request: FakeRequest): FakeReply => {
    const deptId = numberField(request.body, 'dept_id');
    const cursor = numberField(request.body, 'cursor') ?? 0;
    const size = numberField(request.body, 'size') ?? MAX_PAGE_SIZE;
    if (deptId === undefined || !state.findDepartment(deptId)) {
      return fail(60003, '部门不存在');
    }
    if (size < 1 || size > MAX_PAGE_SIZE || cursor < 0) {
      return fail(40035, `不合法的参数: size 必须在 1 到 ${MAX_PAGE_SIZE} 之间`);
    }

    const members = state.activeUsers.filter((user) => user.departmentIds.includes(deptId));
    const page = members.slice(cursor, cursor + size);
    const hasMore = cursor + size < members.length;
    return ok({
      result: {
        has_more: hasMore,
        ...(hasMore ? { next_cursor: cursor + size } : {}),
        list: page.map((user) => ({ ...toUserDetail(user), leader: user.leaderOf.includes(deptId) })),
      },
    });
  };

  const sendWorkNotice = (request: FakeRequest): FakeReply => {
    if (numberField(request.body, 'agent_id') !== Number(settings.agentId)) {
      return fail(40035, '不合法的参数: agent_id');
    }
    const recipients = (stringField(request.body, 'userid_list') ?? '').split(',').filter((id) => id !== '');
    const msg = field(request.body, 'msg');
    if (recipients.length === 0 || typeof msg !== 'object' || msg === null) {
      return fail(40035, '不合法的参数: userid_list 与 msg 必填');
    }

    // Like DingTalk, unknown recipients do not fail the call; only getsendresult would reveal them.
    const taskId = state.nextDingTalkTaskId();
    state.record({ platform: 'dingtalk', kind: 'work_notice', recipients, body: { task_id: taskId, msg } });
    return ok({ task_id: taskId });
  };

  return [
    { method: 'GET', pattern: '/gettoken', handler: getToken },
    { method: 'GET', pattern: '/get_jsapi_ticket', handler: withToken(state, getJsapiTicket) },
    { method: 'POST', pattern: '/topapi/v2/user/getuserinfo', handler: withToken(state, exchangeAuthCode) },
    { method: 'POST', pattern: '/topapi/v2/user/get', handler: withToken(state, getUser) },
    { method: 'POST', pattern: '/topapi/v2/department/get', handler: withToken(state, getDepartment) },
    { method: 'POST', pattern: '/topapi/v2/department/listsub', handler: withToken(state, listChildDepartments) },
    { method: 'POST', pattern: '/topapi/v2/user/list', handler: withToken(state, listUsers) },
    { method: 'POST', pattern: '/topapi/message/corpconversation/asyncsend_v2', handler: withToken(state, sendWorkNotice) },
    ...dingtalkTodoRoutes(state),
  ];
}
