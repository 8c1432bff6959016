import { z } from 'zod';
import type { Platform } from '@shared/roles';
import { requestJson } from './client';

// The demo's local stand-in for the DingTalk/WeCom open platform. Only the demo user picker and
// the browser bridge call it, and only when the server reports demo mode.

export const fakeUserSchema = z.object({
  userid: z.string(),
  name: z.string(),
  title: z.string().nullable().optional(),
  departments: z.array(z.string()),
  /** Role names as the seed data assigns them; the picker shows the known ones with Chinese labels. */
  roles: z.array(z.string()),
});
export type FakeUser = z.infer<typeof fakeUserSchema>;

const fakeUserListSchema = z.object({ users: z.array(fakeUserSchema) });
const fakeAuthCodeSchema = z.object({ code: z.string().min(1) });

export async function listFakeUsers(fakePlatformUrl: string): Promise<FakeUser[]> {
  const body = await requestJson(joinUrl(fakePlatformUrl, '/__fake/users'), fakeUserListSchema);
  return body.users;
}

/** Mint the one-time auth code the real chat app would hand to a logged-in employee. */
export async function mintFakeAuthCode(fakePlatformUrl: string, platform: Platform, userid: string): Promise<string> {
  const body = await requestJson(joinUrl(fakePlatformUrl, '/__fake/auth-codes'), fakeAuthCodeSchema, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ platform, userid }),
  });
  return body.code;
}

function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}
