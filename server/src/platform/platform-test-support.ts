import { pino } from 'pino';
import { startFakePlatform, type FakePlatform, type FakePlatformOptions } from '../../../scripts/fake-platform/server.js';

/** Shared setup of the platform client tests: a fake platform on 127.0.0.1 and helpers to drive it. */

export const testCredentials = {
  dingtalk: { corpId: 'dingtestcorp01', appKey: 'dingtestappkey01', appSecret: 'test-dingtalk-secret', agentId: '880001' },
  wecom: { corpId: 'wwtestcorp01', secret: 'test-wecom-secret', agentId: '1000002' },
};

export const silentLogger = pino({ level: 'silent' });

/** Busy retries without waiting, so retry tests run fast. */
export const fastBusyRetry = { retries: 3, baseDelayMs: 1 };

export function startTestFakePlatform(options: Partial<FakePlatformOptions> = {}): Promise<FakePlatform> {
  return startFakePlatform({ port: 0, host: '127.0.0.1', ...testCredentials, ...options });
}

/** Creates a clock the test moves by hand, in milliseconds. */
export function manualClock(startMs = Date.parse('2025-03-03T02:00:00Z')) {
  const clock = {
    nowMs: startMs,
    now: () => clock.nowMs,
    advanceSeconds: (seconds: number) => {
      clock.nowMs += seconds * 1000;
    },
  };
  return clock;
}

/** Calls a /__fake/ control route with a JSON body and returns the parsed response. */
export async function callFake(fake: FakePlatform, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

/** Mints a one-time auth code the way the chat app would hand it to a logged-in user. */
export async function mintAuthCode(fake: FakePlatform, platform: 'dingtalk' | 'wecom', userid: string): Promise<string> {
  const { status, body } = await callFake(fake, 'POST', '/__fake/auth-codes', { platform, userid });
  if (status !== 200 || typeof body !== 'object' || body === null || !('code' in body) || typeof body.code !== 'string') {
    throw new Error(`fake platform did not mint a code for ${userid}: HTTP ${status} ${JSON.stringify(body)}`);
  }
  return body.code;
}
