import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoStack } from './demo-stack.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the H5 once when h5/dist is missing, so `npm run demo` works right after `npm ci`. */
function buildH5IfMissing(): void {
  if (fs.existsSync(path.join(root, 'h5/dist/index.html'))) return;
  console.log('Building the H5 pages (first run only)…');
  const result = spawnSync('npx', ['vite', 'build', '--config', 'h5/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('H5 build failed; see the output above.');
    process.exit(1);
  }
}

buildH5IfMissing();

const platform = process.env.PLATFORM === 'wecom' ? 'wecom' : 'dingtalk';
const stack = await startDemoStack({
  dataDir: process.env.DATA_DIR ?? path.join(root, 'data'),
  port: Number(process.env.PORT ?? 3000),
  fakePlatformPort: Number(process.env.FAKE_PLATFORM_PORT ?? 3100),
  platform,
  env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
});

const usersResponse = await fetch(`${stack.fakePlatformUrl}/__fake/users`);
const { users } = (await usersResponse.json()) as { users: { userid: string; name: string; title: string | null; departments: string[]; roles: string[] }[] };

console.log(`
Demo running (${platform === 'dingtalk' ? 'DingTalk' : 'WeCom'} through the local fake open platform).

  Open:           ${stack.url}
  Fake platform:  ${stack.fakePlatformUrl}
  Data folder:    ${process.env.DATA_DIR ?? path.join(root, 'data')}

Demo accounts (pick one on the login page):
${users.map((user) => `  ${user.name.padEnd(4, '　')} ${user.userid.padEnd(16)} ${user.departments.join('、')}  [${user.roles.join(', ')}]`).join('\n')}

Press Ctrl+C to stop; the data is kept for the next run.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stack.stop().then(() => process.exit(0));
  });
}
