import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakePlatform } from '../../../../scripts/fake-platform/server.js';
import { PlatformError } from '../chat-platform.js';
import { computeJsapiSignature } from '../jsapi-signature.js';
import { callFake, fastBusyRetry, mintAuthCode, silentLogger, startTestFakePlatform, testCredentials } from '../platform-test-support.js';
import { WeComClient, type WeComClientOptions } from './wecom-client.js';

function clientFor(fake: FakePlatform, overrides: Partial<WeComClientOptions> = {}): WeComClient {
  return new WeComClient({ ...testCredentials.wecom, apiBase: fake.url, logger: silentLogger, busyRetry: fastBusyRetry, ...overrides });
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

const message = {
  title: '回款逾期提醒',
  text: '新华书店（鼓楼店）有一笔回款已逾期 5 天。',
  fields: [
    { label: '应收', value: '¥8,600.00' },
    { label: '到期日', value: '2025-02-26' },
  ],
  url: 'http://127.0.0.1:3000/h5/#/receivables/7',
  buttonText: '查看',
};

describe('WeComClient', () => {
  let fake: FakePlatform;

  beforeEach(async () => {
    fake = await startTestFakePlatform();
  });

  afterEach(async () => {
    await fake.close();
  });

  describe('getUserIdByAuthCode', () => {
    it('returns the userid of a fresh code', async () => {
      const code = await mintAuthCode(fake, 'wecom', 'zhuhongmei01');

      expect(await clientFor(fake).getUserIdByAuthCode(code)).toBe('zhuhongmei01');
    });

    it('rejects a used code as invalid_code', async () => {
      const client = clientFor(fake);
      const code = await mintAuthCode(fake, 'wecom', 'zhuhongmei01');
      await client.getUserIdByAuthCode(code);

      const error = await platformErrorOf(client.getUserIdByAuthCode(code));

      expect(error.kind).toBe('invalid_code');
      expect(error.errcode).toBe(40029);
    });
  });

  describe('getUser', () => {
    it('maps position and leader flags', async () => {
      const user = await clientFor(fake).getUser('chenguodong01');

      expect(user).toEqual({
        userId: 'chenguodong01',
        name: '陈国栋',
        title: '社长、总经理',
        avatarUrl: null,
        unionId: null,
        departmentIds: ['1', '2'],
        leaderOfDepartmentIds: ['1', '2'],
        active: true,
      });
    });

    it('reports an unknown user as not_found', async () => {
      const error = await platformErrorOf(clientFor(fake).getUser('nobody01'));

      expect(error.kind).toBe('not_found');
      expect(error.errcode).toBe(60111);
    });
  });

  describe('listDepartments', () => {
    it('returns the tree with ascending positions', async () => {
      const departments = await clientFor(fake).listDepartments();
      const byName = new Map(departments.map((department) => [department.name, department]));

      expect(departments).toHaveLength(12);
      expect(byName.get('江南文艺出版社')?.parentId).toBeNull();
      expect(byName.get('华北片区')?.parentId).toBe('3');
      expect(byName.get('总经办')?.order).toBe(0);
      expect(byName.get('发行部')?.order).toBe(1);
      expect(byName.get('综合办公室')?.order).toBe(7);
      expect(byName.get('西南片区')?.order).toBe(2);
      expect(byName.get('财务部')?.leaderUserIds).toEqual(['zhuhongmei01']);
    });
  });

  describe('listDepartmentUsers', () => {
    it('lists direct members with leader flags', async () => {
      const users = await clientFor(fake).listDepartmentUsers('8');
      const byId = new Map(users.map((user) => [user.userId, user]));

      expect([...byId.keys()].sort()).toEqual(['huangxiaoming01', 'liuyang01', 'xuting01']);
      expect(byId.get('huangxiaoming01')?.leaderOfDepartmentIds).toEqual(['8']);
      expect(byId.get('liuyang01')?.leaderOfDepartmentIds).toEqual([]);
    });

    it('does not include sub-departments', async () => {
      const users = await clientFor(fake).listDepartmentUsers('3');

      expect(users.map((user) => user.userId)).toEqual(['zhoujianhua01']);
    });
  });

  describe('sendMessage', () => {
    it('sends a textcard', async () => {
      const sent = await clientFor(fake).sendMessage({ ...message, toUserIds: ['gaoxiang01', 'zhuhongmei01'] });

      const [record] = fake.state.sent;
      expect(sent.platformMessageId).not.toBe('');
      expect(record?.kind).toBe('app_message');
      expect(record?.recipients).toEqual(['gaoxiang01', 'zhuhongmei01']);
      expect(record?.body).toMatchObject({
        msgid: sent.platformMessageId,
        msgtype: 'textcard',
        textcard: { title: '回款逾期提醒', url: message.url, btntxt: '查看' },
      });
    });

    it('skips invalid recipients', async () => {
      await clientFor(fake).sendMessage({ ...message, toUserIds: ['gaoxiang01', 'ghost01'] });

      expect(fake.state.sent[0]?.recipients).toEqual(['gaoxiang01']);
    });

    it('fails when every recipient is invalid', async () => {
      const error = await platformErrorOf(clientFor(fake).sendMessage({ ...message, toUserIds: ['ghost01'] }));

      expect(error.kind).toBe('not_found');
      expect(error.errcode).toBe(81013);
    });
  });

  describe('signJsapi', () => {
    it('signs with the corp and app tickets', async () => {
      const url = 'http://127.0.0.1:3000/h5/#/home';

      const signed = await clientFor(fake).signJsapi(url);

      const corpTicket = fake.state.currentTicket('wecom', 'jsapi_ticket') ?? '';
      const appTicket = fake.state.currentTicket('wecom', 'agent_ticket') ?? '';
      const input = { nonceStr: signed.nonceStr, timestamp: signed.timeStamp, url };
      expect(corpTicket).not.toBe(appTicket);
      expect(signed.signature).toBe(computeJsapiSignature({ ...input, ticket: corpTicket }));
      expect(signed.agentSignature).toBe(computeJsapiSignature({ ...input, ticket: appTicket }));
    });
  });

  describe('to-dos', () => {
    it('createTodo returns null without a call', async () => {
      const client = clientFor(fake);

      const todoId = await client.createTodo();
      await client.completeTodo();

      expect(todoId).toBeNull();
      expect(fake.state.requests).toEqual([]);
    });
  });

  describe('access token', () => {
    it('is refreshed after 42001', async () => {
      const client = clientFor(fake);
      await client.getUser('zhangwei01');
      await callFake(fake, 'POST', '/__fake/expire-tokens');

      const user = await client.getUser('zhangwei01');

      expect(user.name).toBe('张伟');
      expect(fake.state.countRequests('/cgi-bin/gettoken')).toBe(2);
    });

    it('rejects a wrong corp id', async () => {
      const error = await platformErrorOf(clientFor(fake, { corpId: 'wwwrong' }).getUser('zhangwei01'));

      expect(error.errcode).toBe(40013);
    });
  });

  describe('busy retry', () => {
    it('succeeds after a busy answer', async () => {
      await callFake(fake, 'POST', '/__fake/fail-next', { path: '/cgi-bin/message/send', errcode: -1 });

      await clientFor(fake).sendMessage({ ...message, toUserIds: ['gaoxiang01'] });

      expect(fake.state.countRequests('/cgi-bin/message/send')).toBe(2);
      expect(fake.state.sent).toHaveLength(1);
    });
  });
});
