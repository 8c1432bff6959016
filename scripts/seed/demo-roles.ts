import type { Db } from '../../server/src/db/database.js';
import { roleSchema, type Platform } from '../../shared/src/roles.js';

interface FakeUser {
  userid: string;
  roles: string[];
}

/**
 * Grants each synced demo user the roles the fake organisation intends for them. Roles are local data an
 * admin owns, so this runs only for users who have none yet and never undoes an admin's change.
 */
export async function seedDemoRoles(db: Db, platform: Platform, fakePlatformUrl: string, now: Date): Promise<number> {
  const response = await fetch(`${fakePlatformUrl}/__fake/users`);
  if (!response.ok) throw new Error(`fake platform GET /__fake/users failed with HTTP ${response.status}`);
  const { users } = (await response.json()) as { users: FakeUser[] };

  let granted = 0;
  for (const fakeUser of users) {
    const user = await db.selectFrom('app_user').select('id').where('platform', '=', platform).where('platform_user_id', '=', fakeUser.userid).executeTakeFirst();
    if (!user) continue;
    const existing = await db.selectFrom('user_role').select('role').where('user_id', '=', user.id).execute();
    if (existing.length > 0) continue;
    const roles = fakeUser.roles.map((role) => roleSchema.parse(role));
    if (roles.length === 0) continue;
    await db.insertInto('user_role').values(roles.map((role) => ({ user_id: user.id, role, granted_by: null, granted_at: now.toISOString() }))).execute();
    granted += roles.length;
  }
  return granted;
}
