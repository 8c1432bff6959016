import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakePlatform } from '../../../../scripts/fake-platform/server.js';
import { PlatformError } from '../chat-platform.js';
import { computeJsapiSignature } from '../jsapi-signature.js';
import {
  callFake,
  fastBusyRetry,
  manualClock,
  mintAuthCode,
  silentLogger,
  startTestFakePlatform,
  testCredentials,
} from '../platform-test-support.js';
import { DingTalkClient, type DingTalkClientOptions } from './dingtalk-client.js';

function clientFor(fake: FakePlatform, overrides: Partial<DingTalkClientOptions> = {}): DingTalkClient {
  return new DingTalkClient({
    ...testCredentials.dingtalk,
    apiBase: fake.url,
    newApiBase: fake.url,
    logger: silentLogger,
    busyRetry: fastBusyRetry,
    ...overrides,
  });
}

async function platformErrorOf(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => null,
    (rejection: unknown) => rejection,
  );
  if (!(error instanceof PlatformError)) {
    throw new Error(`expected a PlatformError, got ${String(error)}`);
  }
  return error;
}

describe('DingTalkClient', () => {
  let fake: FakePlatform;
  const clock = manualClock();

  beforeEach(async () => {
    clock.nowMs = Date.parse('2025-03-03T02:00:00Z');
    fake = await startTestFakePlatform({ now: clock.now });
  });

  afterEach(async () => {
    await fake.close();
  });

  describe('getUserIdByAuthCode', () => {
    it('returns the userid of a fresh code', async () => {
      const client = clientFor(fake);
      const code = await mintAuthCode(fake, 'dingtalk', 'zhangwei01');

      expect(await client.getUserIdByAuthCode(code)).toBe('zhangwei01');
    });

    it('rejects a used code as invalid_code', async () => {
      const client = clientFor(fake);
      const code = await mintAuthCode(fake, 'dingtalk', 'zhangwei01');
      await client.getUserIdByAuthCode(code);

      const error = await platformErrorOf(client.getUserIdByAuthCode(code));

      expect(error.kind).toBe('invalid_code');
      expect(error.errcode).toBe(40078);
    });

    it('rejects an expired code', async () => {
      const client = clientFor(fake);
      const code = await mintAuthCode(fake, 'dingtalk', 'zhangwei01');
      clock.advanceSeconds(301);

      const error = await platformErrorOf(client.getUserIdByAuthCode(code));

      expect(error.kind).toBe('invalid_code');
    });

    it('rejects a WeCom code', async () => {
      const client = clientFor(fake);
      const code = await mintAuthCode(fake, 'wecom', 'zhangwei01');

      const error = await platformErrorOf(client.getUserIdByAuthCode(code));

      expect(error.kind).toBe('invalid_code');
    });
  });

  describe('getUser', () => {
    it('maps a department leader', async () => {
      const user = await clientFor(fake).getUser('wanglei01');

      expect(user).toEqual({
        userId: 'wanglei01',
        name: '王磊',
        title: '华东片区经理',
        avatarUrl: null,
        unionId: 'dd-union-wanglei01',
        departmentIds: ['4'],
        leaderOfDepartmentIds: ['4'],
        active: true,
      });
    });

    it('reports an unknown user as not_found', async () => {
      const error = await platformErrorOf(clientFor(fake).getUser('nobody01'));

      expect(error.kind).toBe('not_found');
      expect(error.errcode).toBe(60121);
    });

    it('reports a departed user as not_found', async () => {
      const left = await callFake(fake, 'POST', '/__fake/users/lina01/leave');
      expect(left.status).toBe(200);

      const error = await platformErrorOf(clientFor(fake).getUser('lina01'));

      expect(error.kind).toBe('not_found');
    });
  });

  describe('listDepartments', () => {
    it('walks the whole tree from the root', async () => {
      const departments = await clientFor(fake).listDepartments();
      const byName = new Map(departments.map((department) => [department.name, department]));

      expect(departments).toHaveLength(12);
      expect(byName.get('江南文艺出版社')?.parentId).toBeNull();
      expect(byName.get('发行部')?.parentId).toBe('1');
      expect(byName.get('华东片区')?.parentId).toBe('3');
      expect(byName.get('西南片区')?.parentId).toBe('3');
      expect(byName.get('发行部')?.leaderUserIds).toEqual(['zhoujianhua01']);
      expect(byName.get('华北片区')?.leaderUserIds).toEqual(['zhaozhiqiang01']);
    });

    it('calls get and listsub once per department', async () => {
      await clientFor(fake).listDepartments();

      expect(fake.state.countRequests('/topapi/v2/department/get')).toBe(12);
      expect(fake.state.countRequests('/topapi/v2/department/listsub')).toBe(12);
    });
  });

  describe('listDepartmentUsers', () => {
    it('follows the cursor across pages', async () => {
      const client = clientFor(fake, { userPageSize: 3 });

      const users = await client.listDepartmentUsers('4');

      expect(users.map((user) => user.userId)).toEqual(['wanglei01', 'zhangwei01', 'lina01', 'liuyang01']);
      expect(fake.state.countRequests('/topapi/v2/user/list')).toBe(2);
    });

    it('marks the leader of the listed department', async () => {
      const users = await clientFor(fake).listDepartmentUsers('8');
      const leader = users.find((user) => user.userId === 'huangxiaoming01');
      const member = users.find((user) => user.userId === 'liuyang01');

      expect(leader?.leaderOfDepartmentIds).toEqual(['8']);
      expect(member?.leaderOfDepartmentIds).toEqual([]);
      expect(member?.departmentIds).toEqual(['4', '8']);
    });

    it('omits a departed user', async () => {
      await callFake(fake, 'POST', '/__fake/users/lina01/leave');

      const users = await clientFor(fake).listDepartmentUsers('4');

      expect(users.map((user) => user.userId)).not.toContain('lina01');
    });
  });

  describe('sendMessage', () => {
    it('sends an action card that opens the side panel', async () => {
      const sent = await clientFor(fake).sendMessage({
        toUserIds: ['zhangwei01', 'wanglei01'],
        title: '合同待审批',
        text: '张伟提交了合同 HT-2025-0012，请审批。',
        fields: [{ label: '实洋', value: '¥12,400.00' }],
        url: 'http://127.0.0.1:3000/h5/#/approvals/12',
        buttonText: '去审批',
      });

      const [record] = fake.state.sent;
      expect(sent.platformMessageId).toMatch(/^\d+$/);
      expect(record?.kind).toBe('work_notice');
      expect(record?.recipients).toEqual(['zhangwei01', 'wanglei01']);
      expect(record?.body).toMatchObject({
        task_id: Number(sent.platformMessageId),
        msg: {
          msgtype: 'action_card',
          action_card: {
            title: '合同待审批',
            single_title: '去审批',
            single_url: `dingtalk://dingtalkclient/page/link?url=${encodeURIComponent('http://127.0.0.1:3000/h5/#/approvals/12')}&pc_slide=true`,
          },
        },
      });
    });

    it('splits more than 100 recipients into batches', async () => {
      const toUserIds = Array.from({ length: 150 }, (_, index) => `user${index}`);

      const sent = await clientFor(fake).sendMessage({ toUserIds, title: 't', text: 'x', fields: [], url: 'http://127.0.0.1/', buttonText: '查看' });

      expect(sent.platformMessageId.split(',')).toHaveLength(2);
      expect(fake.state.sent.map((record) => record.recipients.length)).toEqual([100, 50]);
    });
  });

  describe('to-dos', () => {
    const todo = {
      sourceId: 'approval-task-31',
      executorUserId: 'zhangwei01',
      subject: '审批：新华书店年度供货合同',
      description: '请在周五前处理',
      url: 'http://127.0.0.1:3000/h5/#/approvals/31',
      dueAt: new Date('2025-03-07T10:00:00Z'),
    };

    it('creates and completes a to-do by unionid', async () => {
      const client = clientFor(fake);

      const todoId = await client.createTodo(todo);
      await client.completeTodo('zhangwei01', todoId);

      const stored = fake.state.todos.get(todoId);
      expect(stored?.unionId).toBe('dd-union-zhangwei01');
      expect(stored?.done).toBe(true);
      expect(fake.state.sent.map((record) => record.kind)).toEqual(['todo_created', 'todo_completed']);
      expect(fake.state.sent[0]?.recipients).toEqual(['zhangwei01']);
      expect(fake.state.sent[0]?.body).toMatchObject({ dueTime: todo.dueAt.getTime(), executorIds: ['dd-union-zhangwei01'] });
    });

    it('rejects a repeated sourceId', async () => {
      const client = clientFor(fake);
      await client.createTodo(todo);

      const error = await platformErrorOf(client.createTodo(todo));

      expect(error.kind).toBe('other');
      expect(error.errcode).toBe('todo.taskCreate.paramError');
    });

    it('retries with a new token after expiry', async () => {
      const client = clientFor(fake);
      const todoId = await client.createTodo(todo);
      await callFake(fake, 'POST', '/__fake/expire-tokens');

      await client.completeTodo('zhangwei01', todoId);

      expect(fake.state.todos.get(todoId)?.done).toBe(true);
      expect(fake.state.countRequests('/gettoken')).toBe(2);
    });
  });

  describe('signJsapi', () => {
    it('signs with the current ticket', async () => {
      const url = 'http://127.0.0.1:3000/h5/?corpId=dingtestcorp01#/home';

      const signed = await clientFor(fake).signJsapi(url);

      const ticket = fake.state.currentTicket('dingtalk', 'jsapi_ticket');
      expect(ticket).not.toBeNull();
      expect(signed.agentSignature).toBeNull();
      expect(signed.signature).toBe(computeJsapiSignature({ ticket: ticket ?? '', nonceStr: signed.nonceStr, timestamp: signed.timeStamp, url }));
    });

    it('fetches the ticket once', async () => {
      const client = clientFor(fake);

      await Promise.all([client.signJsapi('http://a/'), client.signJsapi('http://b/'), client.signJsapi('http://c/')]);

      expect(fake.state.countRequests('/get_jsapi_ticket')).toBe(1);
    });
  });

  describe('access token', () => {
    it('is fetched once for concurrent calls', async () => {
      const client = clientFor(fake);

      await Promise.all(['zhangwei01', 'lina01', 'wanglei01', 'sunli01'].map((userId) => client.getUser(userId)));

      expect(fake.state.countRequests('/gettoken')).toBe(1);
    });

    it('is refreshed after the platform expires it', async () => {
      const client = clientFor(fake);
      await client.getUser('zhangwei01');
      await callFake(fake, 'POST', '/__fake/expire-tokens');

      const user = await client.getUser('zhangwei01');

      expect(user.name).toBe('张伟');
      expect(fake.state.countRequests('/gettoken')).toBe(2);
      expect(fake.state.countRequests('/topapi/v2/user/get')).toBe(3);
    });

    it('is retried only once on 40014', async () => {
      const client = clientFor(fake);
      await callFake(fake, 'POST', '/__fake/fail-next', { path: '/topapi/v2/user/get', errcode: 40014, times: 2 });

      const error = await platformErrorOf(client.getUser('zhangwei01'));

      expect(error.kind).toBe('token_invalid');
      expect(fake.state.countRequests('/topapi/v2/user/get')).toBe(2);
    });

    it('rejects a wrong app secret', async () => {
      const client = clientFor(fake, { appSecret: 'wrong-secret' });

      const error = await platformErrorOf(client.getUser('zhangwei01'));

      expect(error.errcode).toBe(40089);
      expect(error.message).not.toContain('wrong-secret');
    });
  });

  describe('busy retry', () => {
    it('succeeds after two busy answers', async () => {
      await callFake(fake, 'POST', '/__fake/fail-next', { path: '/topapi/v2/user/get', errcode: -1, times: 2 });

      const user = await clientFor(fake).getUser('zhangwei01');

      expect(user.userId).toBe('zhangwei01');
      expect(fake.state.countRequests('/topapi/v2/user/get')).toBe(3);
    });

    it('gives up after the retry limit', async () => {
      await callFake(fake, 'POST', '/__fake/fail-next', { path: '/topapi/v2/user/get', errcode: -1, times: 10 });

      const error = await platformErrorOf(clientFor(fake).getUser('zhangwei01'));

      expect(error.kind).toBe('rate_limited');
      expect(error.errcode).toBe(-1);
      expect(fake.state.countRequests('/topapi/v2/user/get')).toBe(4);
    });
  });

  describe('network failures', () => {
    it('reports a refused connection as network', async () => {
      const closed = await startTestFakePlatform();
      await closed.close();

      const error = await platformErrorOf(clientFor(closed).getUser('zhangwei01'));

      expect(error.kind).toBe('network');
    });

    it('reports a silent server as timed out', async () => {
      const silent = createServer(() => {});
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as AddressInfo;
      const base = `http://127.0.0.1:${port}`;

      try {
        const error = await platformErrorOf(clientFor(fake, { apiBase: base, timeoutMs: 100 }).getUser('zhangwei01'));
        expect(error.kind).toBe('network');
        expect(error.message).toContain('timed out after 100 ms');
      } finally {
        silent.closeAllConnections();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    });
  });

  it('rejects a non-numeric agent id', () => {
    expect(() => clientFor(fake, { agentId: 'abc' })).toThrow(/numeric AgentId/);
  });
});
