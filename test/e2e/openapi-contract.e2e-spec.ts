import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderOpenApi } from '../../scripts/openapi-render';

const ROOT = join(__dirname, '..', '..');
const STALE =
  'openapi.json is stale: the routes or their Swagger decorators changed. Run `npm run openapi:export` and commit openapi.json (re-run it after every rebase).';

describe('OpenAPI contract (openapi.json)', () => {
  let current: string;
  beforeAll(async () => {
    current = await renderOpenApi();
  });

  it('openapi.json is what the code serves at /docs-json', () => {
    const committed = readFileSync(join(ROOT, 'openapi.json'), 'utf8');
    if (committed !== current) throw new Error(STALE);
  });

  it('every operation has a summary, a description and its error statuses with the error schema; public ones say security: []', () => {
    const doc = JSON.parse(current);
    const problems: string[] = [];
    // ErrorResponse itself, or a route's richer error (upstream status, risk checks) carrying the same fields.
    const isErrorSchema = (ref?: string): boolean => {
      const schema = ref ? doc.components.schemas[ref.replace('#/components/schemas/', '')] : undefined;
      const props = schema ? Object.keys(schema.properties ?? {}) : [];
      return ['statusCode', 'error', 'message', 'detail', 'request_id'].every((p) => props.includes(p));
    };
    for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!op.summary) problems.push(`${where}: no summary`);
        if (!op.description) problems.push(`${where}: no description`);
        const responses = op.responses as Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
        const errors = Object.keys(responses).filter((s) => Number(s) >= 400);
        if (!errors.includes('400')) problems.push(`${where}: no 400`);
        for (const s of errors) {
          if (where === 'GET /readyz' && s === '503') continue; // terminus' health body, documented as such
          if (!isErrorSchema(responses[s].content?.['application/json']?.schema?.$ref))
            problems.push(`${where}: ${s} without ErrorResponse`);
        }
        if (!Array.isArray(op.security)) problems.push(`${where}: no security`);
      }
    }
    expect(problems).toEqual([]);
    expect(doc.paths['/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    expect(doc.paths['/api/loans/quote'].post.security).toEqual([{ bearer: [] }]);
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:8000' })]);
  });

  it('lints clean with Redocly CLI, recommended ruleset: 0 errors, 0 warnings', async () => {
    const out = await promisify(execFile)(
      process.execPath,
      [require.resolve('@redocly/cli/bin/cli.js'), 'lint', 'openapi.json', '--extends', 'recommended', '--format', 'summary'],
      { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    ).then(
      (r) => ({ code: 0, text: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, text: e.stdout + e.stderr }),
    );
    expect(out.text).not.toMatch(/^(error|warning) /m);
    expect(out.code).toBe(0);
  }, 60_000);
});
