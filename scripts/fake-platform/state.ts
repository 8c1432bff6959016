import { randomBytes } from 'node:crypto';
import { orgDepartments, orgUsers, type OrgDepartment, type OrgUser } from './org.js';

export type FakePlatformName = 'dingtalk' | 'wecom';

export interface FakePlatformSettings {
  dingtalk: { corpId: string; appKey: string; appSecret: string; agentId: string };
  wecom: { corpId: string; secret: string; agentId: string };
  /** Lifetime of an auth code, in seconds (both platforms: 5 minutes). */
  codeTtlSeconds: number;
  /** Lifetime of access tokens and JSAPI tickets, in seconds (both platforms: 7200). */
  tokenTtlSeconds: number;
  /** Current time in milliseconds. */
  now: () => number;
}

/** Every work notification, application message and to-do change the server sent. */
export interface SentRecord {
  id: number;
  platform: FakePlatformName;
  kind: 'work_notice' | 'app_message' | 'todo_created' | 'todo_completed';
  /** Platform user ids (DingTalk to-dos are mapped back from unionid). */
  recipients: string[];
  body: unknown;
  time: string;
}

export interface FakeTodo {
  id: string;
  unionId: string;
  sourceId: string;
  subject: string;
  done: boolean;
  createdAt: number;
}

/** A queued failure: the next `times` calls to `path` fail with `errcode` (v1.0 paths: `httpStatus`). */
export interface InjectedFailure {
  path: string;
  errcode: number | string;
  httpStatus: number | undefined;
  times: number;
}

type CredentialKind = 'access_token' | 'jsapi_ticket' | 'agent_ticket';
type TokenStatus = 'valid' | 'missing' | 'unknown' | 'expired';

interface IssuedCredential {
  platform: FakePlatformName;
  kind: CredentialKind;
  expiresAt: number;
}

/** Mutable state of one fake platform instance: org membership, codes, tokens, sent messages, to-dos. */
export class FakePlatformState {
  readonly departments: readonly OrgDepartment[] = orgDepartments;
  /** Users who left the organisation; they vanish from every platform API. */
  private readonly departedUserIds = new Set<string>();
  private readonly authCodes = new Map<string, { platform: FakePlatformName; userid: string; expiresAt: number }>();
  private readonly credentials = new Map<string, IssuedCredential>();
  private readonly failures: InjectedFailure[] = [];
  readonly todos = new Map<string, FakeTodo>();
  sent: SentRecord[] = [];
  /** Method and path of every platform API request received (control routes excluded), oldest first. */
  readonly requests: { method: string; path: string }[] = [];
  private nextSentId = 1;
  private nextTaskId = 700_000_001;

  constructor(readonly settings: FakePlatformSettings) {}

  get activeUsers(): OrgUser[] {
    return orgUsers.filter((user) => !this.departedUserIds.has(user.userid));
  }

  findActiveUser(userid: string): OrgUser | undefined {
    return this.activeUsers.find((user) => user.userid === userid);
  }

  findActiveUserByUnionId(unionId: string): OrgUser | undefined {
    return this.activeUsers.find((user) => user.unionid === unionId);
  }

  findDepartment(id: number): OrgDepartment | undefined {
    return this.departments.find((department) => department.id === id);
  }

  leaderIdsOf(departmentId: number): string[] {
    return this.activeUsers.filter((user) => user.leaderOf.includes(departmentId)).map((user) => user.userid);
  }

  markDeparted(userid: string): boolean {
    if (!this.findActiveUser(userid)) {
      return false;
    }
    this.departedUserIds.add(userid);
    return true;
  }

  issueAuthCode(platform: FakePlatformName, userid: string): string {
    const code = randomBytes(16).toString('hex');
    this.authCodes.set(code, { platform, userid, expiresAt: this.settings.now() + this.settings.codeTtlSeconds * 1000 });
    return code;
  }

  /** Returns the userid of a valid code and consumes it; a code works once, on its own platform, before expiry. */
  redeemAuthCode(platform: FakePlatformName, code: string): string | null {
    const entry = this.authCodes.get(code);
    this.authCodes.delete(code);
    if (!entry || entry.platform !== platform || entry.expiresAt <= this.settings.now()) {
      return null;
    }
    return this.findActiveUser(entry.userid) ? entry.userid : null;
  }

  /** Like the real platforms, returns the same value while it is valid and a new one after it expired. */
  issueCredential(platform: FakePlatformName, kind: CredentialKind): { value: string; expiresIn: number } {
    const now = this.settings.now();
    for (const [value, credential] of this.credentials) {
      if (credential.platform === platform && credential.kind === kind && credential.expiresAt > now) {
        return { value, expiresIn: Math.ceil((credential.expiresAt - now) / 1000) };
      }
    }

    const value = `${platform}-${kind}-${randomBytes(12).toString('hex')}`;
    this.credentials.set(value, { platform, kind, expiresAt: now + this.settings.tokenTtlSeconds * 1000 });
    return { value, expiresIn: this.settings.tokenTtlSeconds };
  }

  checkAccessToken(platform: FakePlatformName, token: string | null | undefined): TokenStatus {
    if (!token) {
      return 'missing';
    }
    const credential = this.credentials.get(token);
    if (!credential || credential.platform !== platform || credential.kind !== 'access_token') {
      return 'unknown';
    }
    return credential.expiresAt > this.settings.now() ? 'valid' : 'expired';
  }

  /** Returns the ticket currently valid, so tests can recompute a JSAPI signature. */
  currentTicket(platform: FakePlatformName, kind: 'jsapi_ticket' | 'agent_ticket'): string | null {
    const now = this.settings.now();
    for (const [value, credential] of this.credentials) {
      if (credential.platform === platform && credential.kind === kind && credential.expiresAt > now) {
        return value;
      }
    }
    return null;
  }

  /** Expires every access token and ticket now; the next gettoken issues new ones. */
  expireCredentials(): number {
    const now = this.settings.now();
    let expired = 0;
    for (const credential of this.credentials.values()) {
      if (credential.expiresAt > now) {
        credential.expiresAt = now;
        expired += 1;
      }
    }
    return expired;
  }

  queueFailure(failure: InjectedFailure): void {
    this.failures.push(failure);
  }

  /** Takes one use of the first failure queued for `path`, if any. */
  takeFailure(path: string): InjectedFailure | null {
    const index = this.failures.findIndex((failure) => failure.path === path);
    const failure = this.failures[index];
    if (!failure) {
      return null;
    }
    failure.times -= 1;
    if (failure.times <= 0) {
      this.failures.splice(index, 1);
    }
    return failure;
  }

  record(entry: Omit<SentRecord, 'id' | 'time'>): SentRecord {
    const record: SentRecord = { ...entry, id: this.nextSentId, time: new Date(this.settings.now()).toISOString() };
    this.nextSentId += 1;
    this.sent.push(record);
    return record;
  }

  nextDingTalkTaskId(): number {
    const taskId = this.nextTaskId;
    this.nextTaskId += 1;
    return taskId;
  }

  /** Restores the demo organisation and clears codes, tokens, messages, to-dos, the request log and queued failures. */
  reset(): void {
    this.departedUserIds.clear();
    this.authCodes.clear();
    this.credentials.clear();
    this.failures.length = 0;
    this.todos.clear();
    this.sent = [];
    this.requests.length = 0;
  }

  /** Number of requests received for `path`. */
  countRequests(path: string): number {
    return this.requests.filter((request) => request.path === path).length;
  }
}
