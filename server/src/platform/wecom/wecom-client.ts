import { z } from 'zod';
import {
  PlatformError,
  type ChatPlatform,
  type JsapiSignature,
  type PlatformDepartment,
  type PlatformMessage,
  type PlatformUser,
  type SentMessage,
} from '../chat-platform.js';
import { computeJsapiSignature, createJsapiNonce } from '../jsapi-signature.js';
import { chunk } from '../message-text.js';
import { TokenCache } from '../token-cache.js';
import { WeComApi, type WeComApiOptions } from './wecom-api.js';
import { buildTextCard } from './wecom-messages.js';

export interface WeComClientOptions extends WeComApiOptions {
  /** AgentId of the self-built app; messages are sent as this app. */
  agentId: string;
}

/** message/send accepts at most 1000 users in `touser`. */
const MAX_RECIPIENTS_PER_SEND = 1000;

/** Member status: 1 activated, 2 disabled, 4 not yet activated, 5 left the corp. */
const INACTIVE_STATUSES = new Set([2, 5]);

const userSchema = z.object({
  userid: z.string().min(1),
  name: z.string(),
  department: z.array(z.number()).default([]),
  position: z.string().optional(),
  avatar: z.string().optional(),
  /** One flag (1 = leader) per entry of `department`, in the same order. */
  is_leader_in_dept: z.array(z.number()).optional(),
  status: z.number().optional(),
});
type WeComUser = z.infer<typeof userSchema>;

const codeExchangeSchema = z.object({ userid: z.string().optional(), openid: z.string().optional() });
const userListSchema = z.object({ userlist: z.array(userSchema) });
const departmentListSchema = z.object({
  department: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      parentid: z.number(),
      order: z.number().optional(),
      department_leader: z.array(z.string()).optional(),
    }),
  ),
});
const ticketSchema = z.object({ ticket: z.string().min(1), expires_in: z.number().positive() });
const sendResultSchema = z.object({ msgid: z.string().optional(), invaliduser: z.string().optional() });

export class WeComClient implements ChatPlatform {
  readonly platform = 'wecom' as const;
  private readonly api: WeComApi;
  private readonly agentId: number;
  /** Corp ticket, signs ww.register / wx.config. */
  private readonly corpTickets: TokenCache;
  /** App ticket, signs wx.agentConfig. */
  private readonly appTickets: TokenCache;

  constructor(private readonly options: WeComClientOptions) {
    this.agentId = Number(options.agentId);
    if (!Number.isInteger(this.agentId) || this.agentId <= 0) {
      throw new Error(`WECOM_AGENT_ID must be the numeric AgentId of the app, got "${options.agentId}"`);
    }

    this.api = new WeComApi(options);
    this.corpTickets = new TokenCache(() => this.fetchTicket('/cgi-bin/get_jsapi_ticket', {}));
    this.appTickets = new TokenCache(() => this.fetchTicket('/cgi-bin/ticket/get', { type: 'agent_config' }));
  }

  async getUserIdByAuthCode(code: string): Promise<string> {
    const identity = await this.api.call('GET', '/cgi-bin/auth/getuserinfo', codeExchangeSchema, { query: { code } });
    if (!identity.userid) {
      // Someone outside the corp (a WeChat user) opened the page: WeCom returns an openid instead.
      throw new PlatformError('wecom', 'not_found', null, 'WeCom auth code belongs to a user who is not a member of the corp');
    }
    return identity.userid;
  }

  async getUser(userId: string): Promise<PlatformUser> {
    const user = await this.api.call('GET', '/cgi-bin/user/get', userSchema, { query: { userid: userId } });
    return toPlatformUser(user);
  }

  async listDepartments(): Promise<PlatformDepartment[]> {
    const { department: rows } = await this.api.call('GET', '/cgi-bin/department/list', departmentListSchema);
    const ids = new Set(rows.map((row) => row.id));

    // WeCom sorts siblings by descending `order`; the interface uses ascending positions, so siblings are ranked.
    const positions = new Map<number, number>();
    const siblingsByParent = new Map<number, typeof rows>();
    for (const row of rows) {
      siblingsByParent.set(row.parentid, [...(siblingsByParent.get(row.parentid) ?? []), row]);
    }
    for (const siblings of siblingsByParent.values()) {
      const ranked = [...siblings].sort((a, b) => (b.order ?? 0) - (a.order ?? 0) || a.id - b.id);
      ranked.forEach((row, position) => positions.set(row.id, position));
    }

    // A parent outside the list (root, or above the app's visible range) becomes null, so the tree has roots.
    return rows.map((row) => ({
      id: String(row.id),
      name: row.name,
      parentId: ids.has(row.parentid) ? String(row.parentid) : null,
      leaderUserIds: row.department_leader ?? [],
      order: positions.get(row.id) ?? 0,
    }));
  }

  async listDepartmentUsers(departmentId: string): Promise<PlatformUser[]> {
    const query = { department_id: departmentId };
    const { userlist } = await this.api.call('GET', '/cgi-bin/user/list', userListSchema, { query });
    return userlist.map(toPlatformUser);
  }

  async signJsapi(url: string): Promise<JsapiSignature> {
    const [corpTicket, appTicket] = await Promise.all([this.corpTickets.get(), this.appTickets.get()]);
    const nonceStr = createJsapiNonce();
    const timeStamp = Math.floor(Date.now() / 1000);

    return {
      timeStamp,
      nonceStr,
      signature: computeJsapiSignature({ ticket: corpTicket, nonceStr, timestamp: timeStamp, url }),
      agentSignature: computeJsapiSignature({ ticket: appTicket, nonceStr, timestamp: timeStamp, url }),
    };
  }

  async sendMessage(message: PlatformMessage): Promise<SentMessage> {
    if (message.toUserIds.length === 0) {
      throw new PlatformError('wecom', 'other', null, 'application message has no recipients; pass at least one userid');
    }

    const textcard = buildTextCard(message);
    const messageIds: string[] = [];
    for (const recipients of chunk(message.toUserIds, MAX_RECIPIENTS_PER_SEND)) {
      const body = { touser: recipients.join('|'), msgtype: 'textcard', agentid: this.agentId, textcard };
      const sent = await this.api.call('POST', '/cgi-bin/message/send', sendResultSchema, { body });

      // Invalid recipients do not fail the call while at least one recipient is valid.
      if (sent.invaliduser) {
        this.options.logger.warn({ invalidUserIds: sent.invaliduser.split('|') }, 'WeCom skipped invalid message recipients');
      }
      messageIds.push(sent.msgid ?? '');
    }

    this.options.logger.info({ messageIds, recipientCount: message.toUserIds.length }, 'WeCom application message sent');
    return { platformMessageId: messageIds.join(',') };
  }

  /** WeCom has no to-do API for self-built apps, so approval reminders go out as application messages only. */
  async createTodo(): Promise<null> {
    return null;
  }

  async completeTodo(): Promise<void> {}

  private async fetchTicket(path: string, query: Record<string, string>) {
    const issued = await this.api.call('GET', path, ticketSchema, { query });
    this.options.logger.info({ path, expiresInSeconds: issued.expires_in }, 'WeCom JSAPI ticket refreshed');
    return { value: issued.ticket, expiresInSeconds: issued.expires_in };
  }
}

function toPlatformUser(user: WeComUser): PlatformUser {
  const leaderFlags = user.is_leader_in_dept ?? [];
  const leaderOf = user.department.filter((_departmentId, index) => leaderFlags[index] === 1);

  return {
    userId: user.userid,
    name: user.name,
    title: user.position || null,
    avatarUrl: user.avatar || null,
    unionId: null,
    departmentIds: user.department.map(String),
    leaderOfDepartmentIds: leaderOf.map(String),
    active: user.status === undefined || !INACTIVE_STATUSES.has(user.status),
  };
}
