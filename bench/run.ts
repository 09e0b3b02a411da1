/** `npm run bench`: every benchmark in turn (each prints its own table). */
import { spawnSync } from 'node:child_process';
import { ROOT } from './lib';

const benches = [
  'bench/adapter-hello.ts',
  'bench/platform.ts',
  'bench/funds-subscribe.ts',
  'bench/loans-payments.ts',
  ...process.argv.slice(2),
];
for (const b of benches) {
  console.log(`\n=== ${b}`);
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', b], {
    cwd: ROOT,
    stdio: 'inherit',
    env: process.env,
  });
  if (r.status !== 0) process.exitCode = 1;
}
