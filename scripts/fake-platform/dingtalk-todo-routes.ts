import { randomBytes } from 'node:crypto';
import { field, numberField, reply, stringField, type FakeReply, type FakeRequest, type Route } from './http-kit.js';
import type { FakePlatformState } from './state.js';

/**
 * DingTalk v1.0 to-do paths on the new API host: token in the x-acs-dingtalk-access-token header, errors as
 * HTTP 4xx with a string `code`, users addressed by unionid.
 */

function newApiError(status: number, code: string, message: string): FakeReply {
  return reply({ code, message, requestid: randomBytes(8).toString('hex') }, status);
}

/**
 * Returns an error reply for a missing, unknown or expired token, or null when it is valid.
 * NOTE: the real status and code for a bad token on v1.0 paths were not confirmed; 401 InvalidAuthentication
 * is what the server's client treats as a rejected token.
 */
function rejectToken(state: FakePlatformState, request: FakeRequest): FakeReply | null {
  const header = request.headers['x-acs-dingtalk-access-token'];
  const token = Array.isArray(header) ? header[0] : header;
  const status = state.checkAccessToken('dingtalk', token);
  if (status === 'valid') {
    return null;
  }
  if (status === 'missing') {
    return newApiError(401, 'MissingAccessToken', '缺少 x-acs-dingtalk-access-token');
  }
  return newApiError(401, 'InvalidAuthentication', status === 'expired' ? 'access_token 已过期' : '不合法的access_token');
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function dingtalkTodoRoutes(state: FakePlatformState): Route[] {
  const createTodo = (request: FakeRequest): FakeReply => {
    const unionId = request.params.unionId ?? '';
    const creator = state.findActiveUserByUnionId(unionId);
    const subject = stringField(request.body, 'subject') ?? '';
    const sourceId = stringField(request.body, 'sourceId') ?? '';
    const executorIds = stringList(field(request.body, 'executorIds'));
    if (!creator) {
      return newApiError(400, 'todo.taskCreate.paramError', `user not exist: ${unionId}`);
    }
    if (subject === '') {
      return newApiError(400, 'todo.taskCreate.paramError', 'subject is empty');
    }
    const duplicate = [...state.todos.values()].some((todo) => todo.unionId === unionId && sourceId !== '' && todo.sourceId === sourceId);
    if (duplicate) {
      return newApiError(400, 'todo.taskCreate.paramError', 'task exist');
    }

    const now = state.settings.now();
    const id = `task${randomBytes(10).toString('hex')}`;
    state.todos.set(id, { id, unionId, sourceId, subject, done: false, createdAt: now });
    const executors = executorIds.map((executorId) => state.findActiveUserByUnionId(executorId)?.userid ?? executorId);
    state.record({ platform: 'dingtalk', kind: 'todo_created', recipients: executors, body: { id, ...toRecord(request.body) } });

    return reply({
      id,
      subject,
      description: stringField(request.body, 'description') ?? '',
      startTime: now,
      dueTime: numberField(request.body, 'dueTime') ?? null,
      finishTime: null,
      done: false,
      executorIds,
      participantIds: stringList(field(request.body, 'participantIds')),
      detailUrl: field(request.body, 'detailUrl') ?? null,
      source: 'isv',
      sourceId,
      createdTime: now,
      modifiedTime: now,
      creatorId: unionId,
      modifierId: unionId,
      bizTag: 'isv',
      requestId: randomBytes(8).toString('hex'),
      isOnlyShowExecutor: field(request.body, 'isOnlyShowExecutor') === true,
      priority: numberField(request.body, 'priority') ?? 20,
    });
  };

  const updateTodo = (request: FakeRequest): FakeReply => {
    const todo = state.todos.get(request.params.taskId ?? '');
    if (!todo || todo.unionId !== request.params.unionId) {
      return newApiError(400, 'todo.taskUpdate.paramError', 'task not exist');
    }

    const done = field(request.body, 'done');
    if (typeof done === 'boolean') {
      todo.done = done;
    }
    const owner = state.findActiveUserByUnionId(todo.unionId);
    if (done === true) {
      state.record({ platform: 'dingtalk', kind: 'todo_completed', recipients: owner ? [owner.userid] : [], body: { id: todo.id, ...toRecord(request.body) } });
    }
    return reply({ result: true, requestId: randomBytes(8).toString('hex') });
  };

  return [
    { method: 'POST', pattern: '/v1.0/todo/users/:unionId/tasks', handler: (request) => rejectToken(state, request) ?? createTodo(request) },
    { method: 'PUT', pattern: '/v1.0/todo/users/:unionId/tasks/:taskId', handler: (request) => rejectToken(state, request) ?? updateTodo(request) },
  ];
}

function toRecord(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? { ...body } : {};
}
