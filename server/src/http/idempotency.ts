import type { Db } from '../db/database.js';
import { canonicalJson, sha256Hex } from '../lib/hash.js';
import { conflict } from './app-error.js';

export interface StoredResponse {
  status: number;
  body: unknown;
}

const keyPattern = /^[A-Za-z0-9_-]{8,100}$/;

/**
 * Runs a write at most once per (user, Idempotency-Key). A retry with the same body replays the first
 * answer; the same key with another body is a conflict; a retry that arrives while the first request is
 * still running is told to wait. The key is reserved before the handler runs, so two identical requests at
 * once cannot both execute. A handler that fails releases the key so the phone can retry.
 * NOTE: the reservation and the business write commit separately, so a crash between the write and
 * storing the answer lets one retry run the handler again.
 */
export async function runIdempotent(
  db: Db,
  options: { userId: number; key: string; route: string; requestBody: unknown },
  handler: () => Promise<StoredResponse>,
): Promise<StoredResponse> {
  if (!keyPattern.test(options.key)) {
    throw conflict('invalid_idempotency_key', 'Idempotency-Key 格式不正确：应为 8–100 位字母、数字、下划线或连字符');
  }
  const requestHash = sha256Hex(canonicalJson({ route: options.route, body: options.requestBody }));

  const reserved = await db
    .insertInto('idempotency_key')
    .values({
      user_id: options.userId,
      key: options.key,
      route: options.route,
      request_hash: requestHash,
      status_code: null,
      response_body: null,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();

  if (Number(reserved.numInsertedOrUpdatedRows ?? 0n) === 0) {
    const existing = await db
      .selectFrom('idempotency_key')
      .selectAll()
      .where('user_id', '=', options.userId)
      .where('key', '=', options.key)
      .executeTakeFirstOrThrow();
    if (existing.request_hash !== requestHash) {
      throw conflict('idempotency_key_reused', '同一个提交编号已用于不同的内容，请刷新页面后重新提交');
    }
    if (existing.status_code === null) {
      throw conflict('request_in_progress', '上一次提交仍在处理中，请稍候再试');
    }
    return { status: existing.status_code, body: existing.response_body === null ? null : JSON.parse(existing.response_body) };
  }

  try {
    const response = await handler();
    await db
      .updateTable('idempotency_key')
      .set({ status_code: response.status, response_body: JSON.stringify(response.body ?? null) })
      .where('user_id', '=', options.userId)
      .where('key', '=', options.key)
      .execute();
    return response;
  } catch (error) {
    await db.deleteFrom('idempotency_key').where('user_id', '=', options.userId).where('key', '=', options.key).execute();
    throw error;
  }
}
