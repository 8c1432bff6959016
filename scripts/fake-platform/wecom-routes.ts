import { randomBytes } from 'node:crypto';
import { field, numberField, reply, stringField, type FakeReply, type FakeRequest, type Route } from './http-kit.js';
import type { OrgDepartment, OrgUser } from './org.js';
import type { FakePlatformState } from './state.js';

/** WeCom /cgi-bin paths the server calls: HTTP 200 with errcode/errmsg, token in access_token. */

function ok(body: Record<string, unknown> = {}): FakeReply {
  return reply({ errcode: 0, errmsg: 'ok', ...body });
}

function fail(errcode: number, errmsg: string): FakeReply {
  return reply({ errcode, errmsg: `${errmsg}, hint: [${randomBytes(6).toString('hex')}], from fake platform` });
}

function withToken(state: FakePlatformState, handler: (request: FakeRequest) => FakeReply): (request: FakeRequest) => FakeReply {
  return (request) => {
    const status = state.checkAccessToken('wecom', request.query.get('access_token'));
    if (status === 'missing') {
      return fail(41001, 'access_token missing');
    }
    if (status === 'unknown') {
      return fail(40014, 'invalid access_token');
    }
    if (status === 'expired') {
      return fail(42001, 'access_token expired');
    }
    return handler(request);
  };
}

/** Converts the org's ascending order to WeCom's, where larger `order` values come first. */
function toWeComOrder(department: OrgDepartment): number {
  return 100_000_000 - department.order * 1000;
}

function toWeComUser(user: OrgUser) {
  return {
    userid: user.userid,
    name: user.name,
    department: user.departmentIds,
    order: user.departmentIds.map(() => 0),
    position: user.title,
    is_leader_in_dept: user.departmentIds.map((deptId) => (user.leaderOf.includes(deptId) ? 1 : 0)),
    direct_leader: [],
    status: 1,
    main_department: user.departmentIds[0],
    isleader: user.leaderOf.length > 0 ? 1 : 0,
    enable: 1,
    alias: '',
    telephone: '',
  };
}

export function wecomRoutes(state: FakePlatformState): Route[] {
  const settings = state.settings.wecom;

  const getToken = (request: FakeRequest): FakeReply => {
    if (request.query.get('corpid') !== settings.corpId) {
      return fail(40013, 'invalid corpid');
    }
    if (request.query.get('corpsecret') !== settings.secret) {
      return fail(40001, 'invalid credential');
    }
    const issued = state.issueCredential('wecom', 'access_token');
    return ok({ access_token: issued.value, expires_in: issued.expiresIn });
  };

  const getCorpTicket = (): FakeReply => {
    const issued = state.issueCredential('wecom', 'jsapi_ticket');
    return ok({ ticket: issued.value, expires_in: issued.expiresIn });
  };

  const getAppTicket = (request: FakeRequest): FakeReply => {
    if (request.query.get('type') !== 'agent_config') {
      return fail(40058, 'invalid parameter: type must be agent_config');
    }
    const issued = state.issueCredential('wecom', 'agent_ticket');
    return ok({ ticket: issued.value, expires_in: issued.expiresIn });
  };

  const exchangeAuthCode = (request: FakeRequest): FakeReply => {
    const code = request.query.get('code') ?? '';
    const userid = code === '' ? null : state.redeemAuthCode('wecom', code);
    return userid === null ? fail(40029, 'invalid code') : ok({ userid });
  };

  const getUser = (request: FakeRequest): FakeReply => {
    const user = state.findActiveUser(request.query.get('userid') ?? '');
    return user ? ok(toWeComUser(user)) : fail(60111, 'userid not found');
  };

  const listDepartments = (request: FakeRequest): FakeReply => {
    const rootId = Number(request.query.get('id') ?? state.departments[0]?.id);
    if (!state.findDepartment(rootId)) {
      return fail(60123, 'invalid party id');
    }

    const subtree = new Set([rootId]);
    for (const department of state.departments) {
      if (department.parentId !== null && subtree.has(department.parentId)) {
        subtree.add(department.id);
      }
    }
    const departments = state.departments
      .filter((department) => subtree.has(department.id))
      .map((department) => ({
        id: department.id,
        name: department.name,
        parentid: department.parentId ?? 0,
        order: toWeComOrder(department),
        department_leader: state.leaderIdsOf(department.id),
      }));
    return ok({ department: departments });
  };

  const listUsers = (request: FakeRequest): FakeReply => {
    const departmentId = Number(request.query.get('department_id'));
    if (!state.findDepartment(departmentId)) {
      return fail(60123, 'invalid party id');
    }

    const includeChildren = request.query.get('fetch_child') === '1';
    const departmentIds = new Set([departmentId]);
    if (includeChildren) {
      for (const department of state.departments) {
        if (department.parentId !== null && departmentIds.has(department.parentId)) {
          departmentIds.add(department.id);
        }
      }
    }
    const members = state.activeUsers.filter((user) => user.departmentIds.some((id) => departmentIds.has(id)));
    return ok({ userlist: members.map(toWeComUser) });
  };

  const sendAppMessage = (request: FakeRequest): FakeReply => {
    if (numberField(request.body, 'agentid') !== Number(settings.agentId)) {
      return fail(40056, 'invalid agentid');
    }
    const msgtype = stringField(request.body, 'msgtype') ?? '';
    const content = field(request.body, msgtype);
    if (msgtype === '' || typeof content !== 'object' || content === null) {
      return fail(40008, 'invalid message type');
    }
    if (msgtype === 'textcard' && !stringField(content, 'description')) {
      return fail(41033, 'missing description');
    }

    const requested = (stringField(request.body, 'touser') ?? '').split('|').filter((id) => id !== '');
    const recipients = requested.filter((userid) => state.findActiveUser(userid));
    const invalid = requested.filter((userid) => !state.findActiveUser(userid));
    if (recipients.length === 0) {
      return fail(81013, 'user & party & tag all invalid');
    }

    const msgid = randomBytes(24).toString('base64url');
    state.record({ platform: 'wecom', kind: 'app_message', recipients, body: { msgid, msgtype, [msgtype]: content } });
    return ok({ invaliduser: invalid.join('|'), invalidparty: '', invalidtag: '', unlicenseduser: '', msgid });
  };

  return [
    { method: 'GET', pattern: '/cgi-bin/gettoken', handler: getToken },
    { method: 'GET', pattern: '/cgi-bin/get_jsapi_ticket', handler: withToken(state, getCorpTicket) },
    { method: 'GET', pattern: '/cgi-bin/ticket/get', handler: withToken(state, getAppTicket) },
    { method: 'GET', pattern: '/cgi-bin/auth/getuserinfo', handler: withToken(state, exchangeAuthCode) },
    { method: 'GET', pattern: '/cgi-bin/user/get', handler: withToken(state, getUser) },
    { method: 'GET', pattern: '/cgi-bin/department/list', handler: withToken(state, listDepartments) },
    { method: 'GET', pattern: '/cgi-bin/user/list', handler: withToken(state, listUsers) },
    { method: 'POST', pattern: '/cgi-bin/message/send', handler: withToken(state, sendAppMessage) },
  ];
}
