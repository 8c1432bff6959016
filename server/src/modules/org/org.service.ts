import type { Logger } from 'pino';
import type { Platform, Role } from '@shared/roles.js';
import type { Actor } from '../../access/actor.js';
import type { Db, DbExecutor } from '../../db/database.js';
import type { ChatPlatform, PlatformDepartment, PlatformUser } from '../../platform/chat-platform.js';
import { appendAudit } from '../audit/audit.service.js';
import { revokeUserSessions } from '../auth/session.repository.js';
import * as orgRepository from './org.repository.js';

export interface OrgSnapshot {
  departments: PlatformDepartment[];
  users: PlatformUser[];
}

/** Reads the whole org chart from the platform. Network I/O only; no database work happens here. */
export async function fetchOrgSnapshot(platform: ChatPlatform): Promise<OrgSnapshot> {
  const departments = await platform.listDepartments();
  const usersById = new Map<string, PlatformUser>();
  for (const department of departments) {
    for (const user of await platform.listDepartmentUsers(department.id)) {
      const known = usersById.get(user.userId);
      if (known) {
        known.departmentIds = [...new Set([...known.departmentIds, ...user.departmentIds])];
        known.leaderOfDepartmentIds = [...new Set([...known.leaderOfDepartmentIds, ...user.leaderOfDepartmentIds])];
      } else {
        usersById.set(user.userId, { ...user });
      }
    }
  }
  return { departments, users: [...usersById.values()] };
}

export interface OrgSyncResult {
  departments: number;
  users: number;
  usersLeft: number;
}

/**
 * Applies a snapshot in one transaction: departments with parents, paths and leaders, users with their
 * departments. Roles are local and survive the sync. A user missing from the snapshot has left: they are
 * deactivated and their sessions revoked at once.
 */
export async function applyOrgSnapshot(db: Db, platform: Platform, snapshot: OrgSnapshot, now: Date, logger: Logger): Promise<OrgSyncResult> {
  return db.transaction().execute(async (trx) => {
    const departmentIds = await upsertDepartments(trx, platform, snapshot.departments, now);

    const seenUserIds = new Set<number>();
    for (const user of snapshot.users) {
      const userId = await upsertUser(trx, platform, user, now);
      seenUserIds.add(userId);
      await replaceMemberships(trx, userId, user, snapshot.departments, departmentIds);
    }

    let usersLeft = 0;
    for (const existing of await orgRepository.listUsers(trx, platform)) {
      if (existing.active === 1 && !seenUserIds.has(existing.id)) {
        await markUserLeft(trx, existing.id, now, 'org_sync');
        usersLeft += 1;
      }
    }

    logger.info({ platform, departments: snapshot.departments.length, users: snapshot.users.length, usersLeft }, 'org sync applied');
    return { departments: snapshot.departments.length, users: snapshot.users.length, usersLeft };
  });
}

async function upsertDepartments(db: DbExecutor, platform: Platform, departments: PlatformDepartment[], now: Date): Promise<Map<string, number>> {
  const localIds = new Map<string, number>();
  for (const department of departments) {
    const row = await db
      .insertInto('department')
      .values({
        platform,
        platform_department_id: department.id,
        name: department.name,
        parent_id: null,
        path: '/',
        sort_order: department.order,
        active: 1,
        synced_at: now.toISOString(),
      })
      .onConflict((oc) => oc.columns(['platform', 'platform_department_id']).doUpdateSet({ name: department.name, sort_order: department.order, active: 1, synced_at: now.toISOString() }))
      .returning('id')
      .executeTakeFirstOrThrow();
    localIds.set(department.id, row.id);
  }

  // Parents and paths need every local id first, because the platform may list a child before its parent.
  const byPlatformId = new Map(departments.map((department) => [department.id, department]));
  const pathOf = (platformId: string, seen: Set<string> = new Set()): string => {
    const department = byPlatformId.get(platformId);
    const localId = localIds.get(platformId);
    if (!department || localId === undefined || seen.has(platformId)) return '/';
    seen.add(platformId);
    const parentPath = department.parentId && byPlatformId.has(department.parentId) ? pathOf(department.parentId, seen) : '/';
    return `${parentPath}${localId}/`;
  };
  for (const department of departments) {
    const parentLocalId = department.parentId ? localIds.get(department.parentId) ?? null : null;
    await db
      .updateTable('department')
      .set({ parent_id: parentLocalId, path: pathOf(department.id) })
      .where('id', '=', localIds.get(department.id)!)
      .execute();
  }

  const keep = [...localIds.values()];
  await db.updateTable('department').set({ active: 0 }).where('platform', '=', platform).where('id', 'not in', keep.length > 0 ? keep : [-1]).execute();
  return localIds;
}

async function upsertUser(db: DbExecutor, platform: Platform, user: PlatformUser, now: Date): Promise<number> {
  const row = await db
    .insertInto('app_user')
    .values({
      platform,
      platform_user_id: user.userId,
      union_id: user.unionId,
      name: user.name,
      title: user.title,
      avatar_url: user.avatarUrl,
      active: user.active ? 1 : 0,
      left_at: null,
      synced_at: now.toISOString(),
      created_at: now.toISOString(),
    })
    .onConflict((oc) =>
      oc.columns(['platform', 'platform_user_id']).doUpdateSet({
        union_id: user.unionId,
        name: user.name,
        title: user.title,
        avatar_url: user.avatarUrl,
        active: user.active ? 1 : 0,
        left_at: null,
        synced_at: now.toISOString(),
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function replaceMemberships(
  db: DbExecutor,
  userId: number,
  user: PlatformUser,
  departments: PlatformDepartment[],
  localIds: Map<string, number>,
): Promise<void> {
  await db.deleteFrom('user_department').where('user_id', '=', userId).execute();
  const leaderOf = new Set(user.leaderOfDepartmentIds);
  for (const department of departments) {
    if (department.leaderUserIds.includes(user.userId)) leaderOf.add(department.id);
  }
  const rows = user.departmentIds
    .filter((id) => localIds.has(id))
    .map((id) => ({ user_id: userId, department_id: localIds.get(id)!, is_leader: leaderOf.has(id) ? 1 : 0 }));
  if (rows.length > 0) await db.insertInto('user_department').values(rows).execute();
}

/** Deactivates a user who left the organisation and revokes their sessions in the same transaction. */
export async function markUserLeft(db: DbExecutor, userId: number, now: Date, source: string): Promise<void> {
  await db.updateTable('app_user').set({ active: 0, left_at: now.toISOString() }).where('id', '=', userId).execute();
  const revoked = await revokeUserSessions(db, userId, now, 'user_left');
  await appendAudit(db, { actorUserId: null, action: 'user.left', entityType: 'user', entityId: userId, data: { source, sessionsRevoked: revoked }, occurredAt: now });
}

/** Builds the Actor of a request from the local org tables. Returns undefined for an unknown or inactive user. */
export async function loadActor(db: DbExecutor, userId: number): Promise<Actor | undefined> {
  const user = await orgRepository.findUserById(db, userId);
  if (!user || user.active !== 1) return undefined;
  const [roles, departments] = await Promise.all([orgRepository.listUserRoles(db, userId), orgRepository.listUserDepartments(db, userId)]);
  return {
    id: user.id,
    platform: user.platform as Platform,
    platformUserId: user.platform_user_id,
    name: user.name,
    roles,
    departmentIds: departments.map((department) => department.id),
    leaderOfDepartmentIds: departments.filter((department) => department.is_leader === 1).map((department) => department.id),
  };
}

/**
 * Finds the leader `levelsUp` levels above a user's main department (1 = the department's own leader,
 * 2 = the parent department's leader…). A department without a leader is skipped on the way up, and a
 * user who leads their own department starts one level higher. Returns undefined when nobody is found.
 */
export async function findLeaderAbove(db: DbExecutor, userId: number, levelsUp: number): Promise<{ id: number; name: string } | undefined> {
  const departments = await orgRepository.listUserDepartments(db, userId);
  const main = departments[0];
  if (!main) return undefined;

  const chain = main.path.split('/').filter(Boolean).map(Number).reverse();
  let remaining = levelsUp;
  for (const departmentId of chain) {
    const leaders = (await orgRepository.listDepartmentLeaders(db, departmentId)).filter((leader) => leader.id !== userId);
    if (leaders.length === 0) continue;
    remaining -= 1;
    if (remaining === 0) return leaders[0];
  }
  return undefined;
}

export async function setUserRoles(db: Db, actor: Actor, userId: number, roles: Role[], now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await orgRepository.listUserRoles(trx, userId);
    await orgRepository.replaceUserRoles(trx, userId, roles, actor.id, now);
    await appendAudit(trx, { actorUserId: actor.id, action: 'user.roles_changed', entityType: 'user', entityId: userId, data: { before, after: roles }, occurredAt: now });
  });
}
