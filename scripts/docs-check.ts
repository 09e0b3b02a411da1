import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOnTestServer, TestServer } from './test-server';

const ROOT = join(__dirname, '..');
const MARK = '\x1edocs-check-block ';
const TIMEOUT_MS = 240_000;

export interface Block {
  line: number; // 1-based line of the opening fence
  heading: string;
  code: string;
}

/** README's ```bash blocks, in order (other fences, such as ```sh or ```text, are not run). */
export function bashBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  let heading = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const fence = /^(`{3,})(\S*)\s*$/.exec(lines[i]);
    if (!fence) {
      const h = /^#{1,4}\s+(.*)$/.exec(lines[i]);
      if (h) heading = h[1];
      continue;
    }
    const end = lines.findIndex((l, j) => j > i && l.startsWith(fence[1]) && l.trim() === fence[1]);
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code fence`);
    if (fence[2] === 'bash') blocks.push({ line: i + 1, heading, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** An error body in a block's output: the API's error JSON carries statusCode >= 400. */
export function errorBody(output: string): string | undefined {
  return /"statusCode"\s*:\s*[45]\d\d[^\n]{0,200}/.exec(output)?.[0];
}

/** One bash session (`set -euo pipefail`) running every block in order; a marker line before each. */
function script(blocks: Block[]): string {
  const parts = ['set -euo pipefail', 'exec 2>&1'];
  blocks.forEach((b, i) => parts.push(`printf '\\n${MARK}${i}\\n'`, b.code));
  parts.push(`printf '\\n${MARK}${blocks.length}\\n'`);
  return parts.join('\n') + '\n';
}

interface Outcome {
  ok: boolean;
  why?: string;
  output: string;
  ms: number;
}

export async function runBlocks(blocks: Block[], env: NodeJS.ProcessEnv): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const child = spawn('bash', ['-c', script(blocks)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  let current = -1;
  let output = '';
  let started = Date.now();
  let pending = '';
  const finish = (ok: boolean, why?: string) => {
    if (current < 0 || current >= blocks.length) return;
    const body = ok ? errorBody(output) : undefined;
    const outcome: Outcome = { ok: ok && !body, why: why ?? (body ? `error body: ${body}` : undefined), output, ms: Date.now() - started };
    outcomes.push(outcome);
    report(blocks, current, outcome);
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.startsWith(MARK)) {
        finish(true);
        current = Number(line.slice(MARK.length));
        output = '';
        started = Date.now();
      } else output += line + '\n';
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  output += pending;
  if (current < blocks.length) finish(false, code === null ? `timed out after ${TIMEOUT_MS / 1000} s` : `exit status ${code}`);
  return outcomes;
}

function report(blocks: Block[], i: number, o: Outcome): void {
  const b = blocks[i];
  const where = `block ${i + 1}/${blocks.length} README.md:${b.line} (${b.heading})`;
  console.log(`docs:check: ${where} ${o.ok ? 'pass' : 'FAIL'} (${(o.ms / 1000).toFixed(1)} s)${o.why ? `: ${o.why}` : ''}`);
  if (!o.ok || process.argv.includes('--verbose')) {
    console.log('--- the block:\n' + b.code + '\n--- its output (last 40 lines):');
    console.log(o.output.trimEnd().split('\n').slice(-40).join('\n') + '\n---');
  }
}

/** README's ```bash blocks against a running server; prints pass/fail per block and a summary; true when all pass. */
export async function checkReadme(server: TestServer): Promise<boolean> {
  const blocks = bashBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  if (blocks.length === 0) throw new Error('README.md has no ```bash block');
  const outcomes = await runBlocks(blocks, { ...process.env, BASE_URL: server.baseUrl, DATA_DIR: server.dataDir });
  const passed = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.length - passed;
  console.log(`docs:check: ${blocks.length} blocks, ${passed} passed, ${failed} failed, ${blocks.length - outcomes.length} not run`);
  return passed === blocks.length;
}

/**
 * `npm run docs:check`: README's ```bash blocks, in order, in ONE bash session (`set -euo pipefail`), against a
 * server started on a fresh database with the exchange fakes (BASE_URL and DATA_DIR point at it). A block fails
 * on a non-zero exit or an error body in its output; a non-zero exit ends the session (the blocks after it are not
 * run). `-- --verbose` prints every block's output.
 */
if (require.main === module) runOnTestServer('docs', checkReadme);
