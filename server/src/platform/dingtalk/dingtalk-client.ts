import { z } from 'zod';
import {
  PlatformError,
  type ChatPlatform,
  type JsapiSignature,
  type PlatformDepartment,
  type PlatformMessage,
  type PlatformTodo,
  type PlatformUser,
  type SentMessage,
} from '../chat-platform.js';
import { computeJsapiSignature, createJsapiNonce } from '../jsapi-signature.js';
import { chunk, mapWithConcurrency } from '../message-text.js';
import { TokenCache } from '../token-cache.js';
import { DingTalkApi, type DingTalkApiOptions } from './dingtalk-api.js';
import { buildActionCardMessage, buildTodoRequest } from './dingtalk-messages.js';

export interface DingTalkClientOptions extends DingTalkApiOptions {
  corpId: string;
  /** AgentId of the internal app; work notifications are sent as this app. */
  agentId: string;
  /** Users per user/list page, at most 100 (the default); tests lower it to exercise paging. */
  userPageSize?: number;
}

const ROOT_DEPARTMENT_ID = 1;
/** user/list accepts at most 100 users per page. */
const MAX_USER_PAGE_SIZE = 100;
/** Departments fetched at once while walking the tree, to stay well below the per-app QPS limit. */
const DEPARTMENT_CONCURRENCY = 4;
/**
 * NOTE: older docs limit userid_list to 100 users per call and current ones to 5000, so batches use the
 * smaller number. A message to more users returns the task ids of all batches, comma-separated.
 */
const MAX_RECIPIENTS_PER_SEND = 100;

const userSchema = z.object({
  userid: z.string().min(1),
  unionid: z.string().optional(),
  name: z.string(),
  avatar: z.string().optional(),
  title: z.string().optional(),
  dept_id_list: z.array(z.number()).default([]),
  /** Present in user/get: the departments and whether the user leads each. */
  leader_in_dept: z.array(z.object({ dept_id: z.number(), leader: z.boolean() })).optional(),
  /** Present in user/list: whether the user leads the listed department. */
  leader: z.boolean().optional(),
});
type DingTalkUser = z.infer<typeof userSchema>;

const codeExchangeSchema = z.object({ result: z.object({ userid: z.string().min(1) }) });
const userDetailSchema = z.object({ result: userSchema });
const userPageSchema = z.object({
  result: z.object({ has_more: z.boolean(), next_cursor: z.number().optional(), list: z.array(userSchema) }),
});
const childDepartmentsSchema = z.object({ result: z.array(z.object({ dept_id: z.number() })) });
const departmentDetailSchema = z.object({
  result: z.object({
    dept_id: z.number(),
    name: z.string(),
    parent_id: z.number().optional(),
    order: z.number().optional(),
    dept_manager_userid_list: z.array(z.string()).optional(),
  }),
});
const sendResultSchema = z.object({ task_id: z.number() });
const ticketSchema = z.object({ ticket: z.string().min(1), expires_in: z.number().positive() });
const todoCreatedSchema = z.object({ id: z.string().min(1) });
const todoUpdatedSchema = z.unknown();

export class DingTalkClient implements ChatPlatform {
  readonly platform = 'dingtalk' as const;
  private readonly api: DingTalkApi;
  private readonly jsapiTickets: TokenCache;
  private readonly agentId: number;
  /** userid → unionid, filled by every user lookup; the to-do API addresses users by unionid. */
  private readonly unionIds = new Map<string, string>();

  constructor(private readonly options: DingTalkClientOptions) {
    this.agentId = Number(options.agentId);
    if (!Number.isInteger(this.agentId) || this.agentId <= 0) {
      throw new Error(`DINGTALK_AGENT_ID must be the numeric AgentId of the app, got "${options.agentId}"`);
    }

    this.api = new DingTalkApi(options);
    this.jsapiTickets = new TokenCache(async () => {
      const issued = await this.api.oapi('GET', '/get_jsapi_ticket', ticketSchema);
      options.logger.info({ expiresInSeconds: issued.expires_in }, 'DingTalk JSAPI ticket refreshed');
      return { value: issued.ticket, expiresInSeconds: issued.expires_in };
    });
  }

  async getUserIdByAuthCode(code: string): Promise<string> {
    const response = await this.api.oapi('POST', '/topapi/v2/user/getuserinfo', codeExchangeSchema, { body: { code } });
    return response.result.userid;
  }

  async getUser(userId: string): Promise<PlatformUser> {
    const body = { userid: userId, language: 'zh_CN' };
    const response = await this.api.oapi('POST', '/topapi/v2/user/get', userDetailSchema, { body });
    return this.toPlatformUser(response.result, null);
  }

  async listDepartments(): Promise<PlatformDepartment[]> {
    const departments: PlatformDepartment[] = [];
    const seen = new Set<number>([ROOT_DEPARTMENT_ID]);
    let level = [ROOT_DEPARTMENT_ID];

    // listsub returns one level only, so the tree is walked breadth first.
    while (level.length > 0) {
      const fetched = await mapWithConcurrency(level, DEPARTMENT_CONCURRENCY, (id) => this.fetchDepartment(id));
      const nextLevel: number[] = [];
      for (const { department, childIds } of fetched) {
        departments.push(department);
        for (const childId of childIds) {
          if (!seen.has(childId)) {
            seen.add(childId);
            nextLevel.push(childId);
          }
        }
      }
      level = nextLevel;
    }
    return departments;
  }

  async listDepartmentUsers(departmentId: string): Promise<PlatformUser[]> {
    const deptId = Number(departmentId);
    const users: PlatformUser[] = [];
    let cursor = 0;

    for (;;) {
      const body = { dept_id: deptId, cursor, size: this.options.userPageSize ?? MAX_USER_PAGE_SIZE, language: 'zh_CN', contain_access_limit: false };
      const { result } = await this.api.oapi('POST', '/topapi/v2/user/list', userPageSchema, { body });
      users.push(...result.list.map((user) => this.toPlatformUser(user, deptId)));

      if (!result.has_more) {
        return users;
      }
      if (result.next_cursor === undefined || result.next_cursor === cursor) {
        throw new PlatformError('dingtalk', 'other', null, `DingTalk user/list for department ${departmentId} has more users but no new cursor`);
      }
      cursor = result.next_cursor;
    }
  }

  async signJsapi(url: string): Promise<JsapiSignature> {
    const ticket = await this.jsapiTickets.get();
    const nonceStr = createJsapiNonce();
    const timeStamp = Math.floor(Date.now() / 1000);

    const signature = computeJsapiSignature({ ticket, nonceStr, timestamp: timeStamp, url });
    return { timeStamp, nonceStr, signature, agentSignature: null };
  }

  async sendMessage(message: PlatformMessage): Promise<SentMessage> {
    if (message.toUserIds.length === 0) {
      throw new PlatformError('dingtalk', 'other', null, 'work notification has no recipients; pass at least one userid');
    }

    const msg = buildActionCardMessage(message);
    const taskIds: string[] = [];
    for (const recipients of chunk(message.toUserIds, MAX_RECIPIENTS_PER_SEND)) {
      const body = { agent_id: this.agentId, userid_list: recipients.join(','), msg };
      const sent = await this.api.oapi('POST', '/topapi/message/corpconversation/asyncsend_v2', sendResultSchema, { body });
      taskIds.push(String(sent.task_id));
    }

    this.options.logger.info({ taskIds, recipientCount: message.toUserIds.length }, 'DingTalk work notification sent');
    return { platformMessageId: taskIds.join(',') };
  }

  async createTodo(todo: PlatformTodo): Promise<string> {
    const unionId = await this.unionIdOf(todo.executorUserId);
    const path = `/v1.0/todo/users/${encodeURIComponent(unionId)}/tasks`;

    const created = await this.api.newApi('POST', path, todoCreatedSchema, {
      query: { operatorId: unionId },
      body: buildTodoRequest(todo, unionId),
    });
    this.options.logger.info({ todoId: created.id, sourceId: todo.sourceId }, 'DingTalk to-do created');
    return created.id;
  }

  async completeTodo(executorUserId: string, todoId: string): Promise<void> {
    const unionId = await this.unionIdOf(executorUserId);
    const path = `/v1.0/todo/users/${encodeURIComponent(unionId)}/tasks/${encodeURIComponent(todoId)}`;

    await this.api.newApi('PUT', path, todoUpdatedSchema, { query: { operatorId: unionId }, body: { done: true } });
    this.options.logger.info({ todoId }, 'DingTalk to-do completed');
  }

  private async fetchDepartment(deptId: number): Promise<{ department: PlatformDepartment; childIds: number[] }> {
    const body = { dept_id: deptId, language: 'zh_CN' };
    const [detail, children] = await Promise.all([
      this.api.oapi('POST', '/topapi/v2/department/get', departmentDetailSchema, { body }),
      this.api.oapi('POST', '/topapi/v2/department/listsub', childDepartmentsSchema, { body }),
    ]);

    const { result } = detail;
    const isRoot = deptId === ROOT_DEPARTMENT_ID || result.parent_id === undefined;
    const department: PlatformDepartment = {
      id: String(result.dept_id),
      name: result.name,
      parentId: isRoot ? null : String(result.parent_id),
      leaderUserIds: result.dept_manager_userid_list ?? [],
      order: result.order ?? 0,
    };
    return { department, childIds: children.result.map((child) => child.dept_id) };
  }

  private async unionIdOf(userId: string): Promise<string> {
    const cached = this.unionIds.get(userId);
    if (cached) {
      return cached;
    }

    const user = await this.getUser(userId);
    if (!user.unionId) {
      throw new PlatformError('dingtalk', 'not_found', null, `DingTalk user ${userId} has no unionid, so no to-do can be addressed to them`);
    }
    return user.unionId;
  }

  /**
   * Maps a DingTalk user. `listedDeptId` is the department of a user/list call, whose items only state whether the
   * user leads that one department.
   */
  private toPlatformUser(user: DingTalkUser, listedDeptId: number | null): PlatformUser {
    if (user.unionid) {
      this.unionIds.set(user.userid, user.unionid);
    }

    let leaderOf: number[];
    if (user.leader_in_dept) {
      leaderOf = user.leader_in_dept.filter((entry) => entry.leader).map((entry) => entry.dept_id);
    } else {
      leaderOf = user.leader && listedDeptId !== null ? [listedDeptId] : [];
    }

    return {
      userId: user.userid,
      name: user.name,
      title: user.title || null,
      avatarUrl: user.avatar || null,
      unionId: user.unionid || null,
      departmentIds: user.dept_id_list.map(String),
      leaderOfDepartmentIds: leaderOf.map(String),
      // DingTalk's own `active` flag means "has activated the DingTalk account", not membership. A user who left
      // the organisation is no longer returned at all (user/get returns 60121), so every returned user is active.
      active: true,
    };
  }
}
