import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { CurrentUser, LoginResponse } from '@shared/api/auth.js';
import type { Actor } from '../../access/actor.js';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../http/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { sha256Hex } from '../../lib/hash.js';
import { PlatformError, type ChatPlatform } from '../../platform/chat-platform.js';
import * as orgRepository from '../org/org.repository.js';
import { loadCurrentActor } from '../../access/actor-cache.js';
import * as sessionRepository from './session.repository.js';

export interface AuthDeps {
  db: Db;
  platform: ChatPlatform;
  config: Config;
  clock: Clock;
  logger: Logger;
}

/** Session touches are written at most once a minute, so reads do not turn into writes. */
const touchIntervalMs = 60_000;

/**
 * Exchanges a one-time auth code with the platform and opens a session for the synced user. The client
 * sends only the code: user id, departments and roles always come from the platform and the local org.
 */
export async function login(deps: AuthDeps, code: string): Promise<LoginResponse> {
  let platformUserId: string;
  try {
    platformUserId = await deps.platform.getUserIdByAuthCode(code);
  } catch (error) {
    if (error instanceof PlatformError && error.kind === 'invalid_code') {
      throw new AppError(401, 'invalid_auth_code', '登录授权码无效、已使用或已过期，请重新打开应用');
    }
    deps.logger.error({ err: error }, 'auth code exchange failed');
    throw new AppError(502, 'platform_unavailable', `暂时无法连接${deps.platform.platform === 'dingtalk' ? '钉钉' : '企业微信'}，请稍后重试`);
  }

  const user = await orgRepository.findUserByPlatformId(deps.db, deps.platform.platform, platformUserId);
  if (!user) {
    deps.logger.warn({ platformUserId }, 'login by a user not in the synced org');
    throw new AppError(403, 'user_not_synced', '您的账号还没有同步到系统，请联系管理员同步组织架构后再试');
  }
  if (user.active !== 1) throw new AppError(403, 'user_inactive', '您的账号已停用，请联系管理员');

  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.SESSION_MAX_DAYS * 86_400_000);
  await sessionRepository.insertSession(deps.db, {
    tokenHash: sha256Hex(token),
    userId: user.id,
    now,
    idleExpiresAt: idleExpiry(deps, now, expiresAt),
    expiresAt,
  });
  deps.logger.info({ userId: user.id }, 'session opened');

  return { token, expiresAt: expiresAt.toISOString(), user: await getCurrentUser(deps.db, user.id) };
}

/** Resolves a bearer token to the acting user, sliding the idle expiry. Throws 401 when the session is not valid. */
export async function authenticateToken(deps: AuthDeps, token: string): Promise<Actor> {
  const session = await sessionRepository.findSessionByTokenHash(deps.db, sha256Hex(token));
  const now = deps.clock.now();
  if (!session || session.revoked_at !== null || Date.parse(session.expires_at) <= now.getTime() || Date.parse(session.idle_expires_at) <= now.getTime()) {
    throw new AppError(401, 'session_expired', '登录已过期，请重新登录');
  }

  const actor = await loadCurrentActor(deps.db, session.user_id);
  if (!actor) throw new AppError(401, 'session_expired', '登录已过期，请重新登录');

  if (now.getTime() - Date.parse(session.last_seen_at) > touchIntervalMs) {
    await sessionRepository.touchSession(deps.db, session.id, now, idleExpiry(deps, now, new Date(session.expires_at)));
  }
  return actor;
}

export async function logout(deps: AuthDeps, token: string): Promise<void> {
  const session = await sessionRepository.findSessionByTokenHash(deps.db, sha256Hex(token));
  if (session) await sessionRepository.revokeSession(deps.db, session.id, deps.clock.now(), 'logout');
}

export async function getCurrentUser(db: Db, userId: number): Promise<CurrentUser> {
  const user = await orgRepository.findUserById(db, userId);
  if (!user) throw new AppError(404, 'not_found', '用户不存在');
  const [roles, departments] = await Promise.all([orgRepository.listUserRoles(db, userId), orgRepository.listUserDepartments(db, userId)]);
  return {
    id: user.id,
    platform: user.platform as CurrentUser['platform'],
    platformUserId: user.platform_user_id,
    name: user.name,
    title: user.title,
    avatarUrl: user.avatar_url,
    roles,
    departments: departments.map((department) => ({ id: department.id, name: department.name, isLeader: department.is_leader === 1 })),
  };
}

function idleExpiry(deps: AuthDeps, now: Date, absoluteExpiry: Date): Date {
  const idle = new Date(now.getTime() + deps.config.SESSION_IDLE_MINUTES * 60_000);
  return idle < absoluteExpiry ? idle : absoluteExpiry;
}
