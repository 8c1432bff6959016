import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { loadCurrentActor } from './actor-cache.js';
import { resolveScope } from './scope.js';

describe('actor cache', () => {
  let server: TestServer;
  let managerId: number;
  let repId: number;

  beforeAll(async () => {
    server = await startTestServer();
    managerId = await server.userId('wanglei01');
    repId = await server.userId('zhangwei01');
  });

  afterAll(async () => {
    await server.close();
  });

  it('reuses the actor while the org is unchanged', async () => {
    const first = await loadCurrentActor(server.db, managerId);
    const second = await loadCurrentActor(server.db, managerId);

    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('reloads the actor after a user change', async () => {
    const before = await loadCurrentActor(server.db, repId);
    await server.db.updateTable('app_user').set({ name: '张伟（改名）' }).where('id', '=', repId).execute();
    const after = await loadCurrentActor(server.db, repId);

    expect(after).not.toBe(before);
    expect(after?.name).toBe('张伟（改名）');
  });

  it('widens a scope when a member joins the department', async () => {
    const actor = (await loadCurrentActor(server.db, managerId))!;
    const before = await resolveScope(server.db, actor, 'business');
    const newcomer = await server.userId('sunli01');
    expect(before.kind).toBe('users');
    expect(before.kind === 'users' ? before.userIds : []).not.toContain(newcomer);

    const department = await server.db.selectFrom('user_department').select('department_id').where('user_id', '=', managerId).executeTakeFirstOrThrow();
    await server.db.insertInto('user_department').values({ user_id: newcomer, department_id: department.department_id, is_leader: 0 }).execute();
    const reloaded = (await loadCurrentActor(server.db, managerId))!;
    const after = await resolveScope(server.db, reloaded, 'business');

    expect(after.kind === 'users' ? after.userIds : []).toContain(newcomer);
  });

  it('returns nothing for a user who left', async () => {
    const leaver = await server.userId('lina01');
    expect(await loadCurrentActor(server.db, leaver)).toBeDefined();

    await server.db.updateTable('app_user').set({ active: 0 }).where('id', '=', leaver).execute();

    expect(await loadCurrentActor(server.db, leaver)).toBeUndefined();
  });

  it('applies a removed role at the next request', async () => {
    const token = await server.login('handong01');
    const adminId = await server.userId('handong01');
    const before = await server.request('POST', '/api/org/sync', { token });
    expect(before.status).toBe(200);

    await server.db.deleteFrom('user_role').where('user_id', '=', adminId).where('role', '=', 'admin').execute();
    const after = await server.request('POST', '/api/org/sync', { token });

    expect(after.status).toBe(403);
  });
});
