import { z } from 'zod';
import { pushCallback } from './callback-push.js';
import { reply, type FakeReply, type FakeRequest, type Route } from './http-kit.js';
import type { FakePlatformState } from './state.js';

/**
 * Control routes under /__fake/ for tests and the demo user picker. They exist only on the fake: the real
 * platforms hand out auth codes inside their apps and push callbacks on their own.
 */

const platformSchema = z.enum(['dingtalk', 'wecom']);

const authCodeRequestSchema = z.object({ platform: platformSchema, userid: z.string().min(1) });

const callbackRequestSchema = z.object({
  platform: platformSchema,
  event: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
  targetUrl: z.string().url(),
  token: z.string().min(1),
  aesKey: z.string().regex(/^[A-Za-z0-9]{43}$/, 'aesKey must be the 43-character EncodingAESKey'),
  ownerKey: z.string().min(1),
  /** WeCom only: send the GET URL check with an echostr instead of an event. */
  urlVerification: z.boolean().default(false),
});

const failureRequestSchema = z.object({
  path: z.string().startsWith('/'),
  errcode: z.union([z.number().int(), z.string().min(1)]),
  /** v1.0 paths only: the HTTP status of the failure (default 500). */
  httpStatus: z.number().int().min(400).max(599).optional(),
  times: z.number().int().positive().default(1),
});

/** Hosts a pushed callback may target: only this machine, so the fake never sends traffic elsewhere. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

function fakeError(status: number, code: string, message: string, details?: unknown): FakeReply {
  return reply({ error: { code, message, ...(details === undefined ? {} : { details }) } }, status);
}

function invalidBody(error: z.ZodError): FakeReply {
  return fakeError(400, 'validation_failed', '请求参数不正确', error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
}

export function fakeRoutes(state: FakePlatformState): Route[] {
  const listUsers = (): FakeReply => {
    const users = state.activeUsers.map((user) => ({
      userid: user.userid,
      unionid: user.unionid,
      name: user.name,
      title: user.title,
      departments: user.departmentIds.map((id) => state.findDepartment(id)?.name ?? String(id)),
      departmentIds: user.departmentIds,
      leaderOf: user.leaderOf,
      roles: user.roles,
    }));
    return reply({ users });
  };

  const createAuthCode = (request: FakeRequest): FakeReply => {
    const parsed = authCodeRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      return invalidBody(parsed.error);
    }
    if (!state.findActiveUser(parsed.data.userid)) {
      return fakeError(404, 'user_not_found', `组织中没有用户 ${parsed.data.userid}（或已离职）`);
    }
    return reply({ code: state.issueAuthCode(parsed.data.platform, parsed.data.userid) });
  };

  const listMessages = (request: FakeRequest): FakeReply => {
    const platform = request.query.get('platform');
    const userid = request.query.get('userid');
    const messages = state.sent.filter(
      (record) => (!platform || record.platform === platform) && (!userid || record.recipients.includes(userid)),
    );
    return reply({ messages });
  };

  const clearMessages = (): FakeReply => {
    const cleared = state.sent.length;
    state.sent = [];
    return reply({ cleared });
  };

  const expireTokens = (): FakeReply => reply({ expired: state.expireCredentials() });

  const leave = (request: FakeRequest): FakeReply => {
    const userid = request.params.userid ?? '';
    if (!state.markDeparted(userid)) {
      return fakeError(404, 'user_not_found', `组织中没有在职用户 ${userid}`);
    }
    return reply({ userid, active: false });
  };

  const failNext = (request: FakeRequest): FakeReply => {
    const parsed = failureRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      return invalidBody(parsed.error);
    }
    state.queueFailure({ ...parsed.data, httpStatus: parsed.data.httpStatus });
    return reply({ queued: parsed.data });
  };

  const deliverCallback = async (request: FakeRequest): Promise<FakeReply> => {
    const parsed = callbackRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      return invalidBody(parsed.error);
    }
    const { platform, event, token, aesKey, ownerKey, urlVerification } = parsed.data;
    const targetUrl = new URL(parsed.data.targetUrl);
    if (!LOCAL_HOSTS.has(targetUrl.hostname) || !['http:', 'https:'].includes(targetUrl.protocol)) {
      return fakeError(400, 'target_not_local', `回调地址只能是本机（127.0.0.1 或 localhost），收到 ${targetUrl.host}`);
    }
    if (event === undefined && !(platform === 'wecom' && urlVerification)) {
      return fakeError(400, 'event_missing', '缺少 event：请提供要推送的事件内容');
    }

    try {
      const result = await pushCallback({
        platform,
        event,
        targetUrl,
        keys: { token, aesKey, ownerKey },
        urlVerification,
        wecomAgentId: state.settings.wecom.agentId,
      });
      return reply(result);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return fakeError(502, 'callback_delivery_failed', `回调推送失败：${reason}`);
    }
  };

  const reset = (): FakeReply => {
    state.reset();
    return reply({ reset: true });
  };

  return [
    { method: 'GET', pattern: '/__fake/users', handler: listUsers },
    { method: 'POST', pattern: '/__fake/auth-codes', handler: createAuthCode },
    { method: 'GET', pattern: '/__fake/messages', handler: listMessages },
    { method: 'DELETE', pattern: '/__fake/messages', handler: clearMessages },
    { method: 'POST', pattern: '/__fake/expire-tokens', handler: expireTokens },
    { method: 'POST', pattern: '/__fake/users/:userid/leave', handler: leave },
    { method: 'POST', pattern: '/__fake/fail-next', handler: failNext },
    { method: 'POST', pattern: '/__fake/callbacks', handler: deliverCallback },
    { method: 'POST', pattern: '/__fake/reset', handler: reset },
  ];
}
