import type { Platform } from '@shared/roles.js';

/** A department as the open platform reports it, before it is stored locally. */
export interface PlatformDepartment {
  id: string;
  name: string;
  parentId: string | null;
  /** Platform user ids of the department's leaders (DingTalk dept_manager_userid_list, WeCom is_leader_in_dept). */
  leaderUserIds: string[];
  order: number;
}

export interface PlatformUser {
  userId: string;
  name: string;
  title: string | null;
  avatarUrl: string | null;
  /** DingTalk unionid; the to-do API addresses users by it. WeCom has none. */
  unionId: string | null;
  departmentIds: string[];
  /** Departments in which the platform marks this user as leader. */
  leaderOfDepartmentIds: string[];
  active: boolean;
}

/** A work notification (DingTalk) or application message (WeCom) to one or more users. */
export interface PlatformMessage {
  toUserIds: string[];
  title: string;
  /** Short lines of the card body, label and value. */
  fields: { label: string; value: string }[];
  /** Markdown or plain text shown under the title. */
  text: string;
  /** The H5 page the button opens, an absolute URL. */
  url: string;
  buttonText: string;
}

export interface SentMessage {
  /** DingTalk task_id or WeCom msgid, kept for recall and diagnostics. */
  platformMessageId: string;
}

export interface JsapiSignature {
  timeStamp: number;
  nonceStr: string;
  signature: string;
  /** WeCom agentConfig signature from the app ticket; null on DingTalk. */
  agentSignature: string | null;
}

/** A DingTalk to-do item mirrored from an approval task. */
export interface PlatformTodo {
  sourceId: string;
  executorUserId: string;
  subject: string;
  description: string;
  url: string;
  dueAt: Date | null;
}

/**
 * One open platform (DingTalk or WeCom) behind the calls the server makes.
 * Every method performs network I/O: never call one inside a database transaction.
 * Failures throw PlatformError with the platform's errcode.
 */
export interface ChatPlatform {
  readonly platform: Platform;
  /** Exchanges a one-time auth code for the platform user id. Throws PlatformError with kind 'invalid_code'. */
  getUserIdByAuthCode(code: string): Promise<string>;
  getUser(userId: string): Promise<PlatformUser>;
  /** All departments of the organisation, walking the tree from the root. */
  listDepartments(): Promise<PlatformDepartment[]>;
  /** Direct members of one department. */
  listDepartmentUsers(departmentId: string): Promise<PlatformUser[]>;
  signJsapi(url: string): Promise<JsapiSignature>;
  sendMessage(message: PlatformMessage): Promise<SentMessage>;
  /** Creates a to-do for the executor; returns the platform's to-do id, or null where the platform has no to-do API. */
  createTodo(todo: PlatformTodo): Promise<string | null>;
  completeTodo(executorUserId: string, todoId: string): Promise<void>;
}

export type PlatformErrorKind = 'invalid_code' | 'token_invalid' | 'rate_limited' | 'not_found' | 'network' | 'other';

export class PlatformError extends Error {
  constructor(
    readonly platform: Platform,
    readonly kind: PlatformErrorKind,
    readonly errcode: number | string | null,
    message: string,
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}
