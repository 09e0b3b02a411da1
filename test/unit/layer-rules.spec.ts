import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Every layer rule in .dependency-cruiser.js bites: for each rule a probe file that breaks it is
 * written into the tree, depcruise runs on the probes, and each probe must be reported under its rule.
 */
const ROOT = join(__dirname, '..', '..');
const TAG = `__layer_probe_${process.pid}`;

interface Probe {
  rule: string;
  files: Record<string, string>; // path (from the repo root) -> source
}

const probe = (rule: string, path: string, source: string): Probe => ({ rule, files: { [path]: source } });
/** A probe whose file only imports `target` as a type: a type-only import counts. */
const typeImportProbe = (rule: string, path: string, target: string): Probe =>
  probe(rule, path, `import type * as m from '${target}';\nexport type M = typeof m;\n`);

const PROBES: Probe[] = [
  ...(
    [
      ['domain-is-pure', `src/contexts/funds/domain/${TAG}_pure.ts`, '../application/subscriptions.service'],
      ['libs-do-not-reach-into-contexts', `libs/nest/${TAG}_reach.ts`, '../../src/contexts/funds'],
      ['application-not-http', `src/contexts/funds/application/${TAG}_http.ts`, '../http/funds.dto'],
      ['infrastructure-not-http', `src/contexts/funds/infrastructure/${TAG}_http.ts`, '../http/funds.dto'],
      ['contexts-meet-through-index', `src/contexts/loans/application/${TAG}_index.ts`, '../../funds/domain/fund'],
      ['production-not-tests', `src/contexts/funds/application/${TAG}_tests.ts`, '../../../../test/fakes/funds-in-memory'],
    ] as const
  ).map(([rule, path, target]) => typeImportProbe(rule, path, target)),
  probe(
    'domain-no-npm',
    `src/contexts/funds/domain/${TAG}_npm.ts`,
    "import type { Repository } from 'typeorm';\nexport type R = Repository<object>;\n",
  ),
  probe(
    'domain-names-other-contexts-by-type',
    `src/contexts/execution/domain/${TAG}_foreign.ts`,
    "import { ExchangeCredentialsProvider } from '../../vault';\nexport const p = ExchangeCredentialsProvider;\n",
  ),
  probe('kernel-no-npm', `libs/kernel/${TAG}_npm.ts`, "import { Injectable } from '@nestjs/common';\nexport const i = Injectable;\n"),
  probe(
    'kernel-is-the-bottom',
    `libs/kernel/${TAG}_bottom.ts`,
    "import { errorBody } from '@platform/http/error-body';\nexport const e = errorBody;\n",
  ),
  {
    rule: 'no-circular',
    files: {
      [`libs/nest/${TAG}_a.ts`]: `import { b } from './${TAG}_b';\nexport const a = () => b;\n`,
      [`libs/nest/${TAG}_b.ts`]: `import { a } from './${TAG}_a';\nexport const b = () => a;\n`,
    },
  },
];

interface Violation {
  from: string;
  rule: { name: string };
}

async function cruise(paths: string[]): Promise<Violation[]> {
  const bin = join(ROOT, 'node_modules', '.bin', 'depcruise');
  const args = [...paths, '--config', '.dependency-cruiser.js', '--output-type', 'json'];
  // depcruise exits non-zero when it finds violations: the JSON on stdout is what we read.
  const out = await promisify(execFile)(bin, args, { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => e.stdout ?? '',
  );
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('layer rules (.dependency-cruiser.js)', () => {
  const written: string[] = [];
  let violations: Violation[] = [];

  beforeAll(async () => {
    try {
      for (const p of PROBES)
        for (const [path, source] of Object.entries(p.files)) {
          mkdirSync(dirname(join(ROOT, path)), { recursive: true });
          writeFileSync(join(ROOT, path), source);
          written.push(path);
        }
      violations = await cruise(written);
    } finally {
      for (const path of written) rmSync(join(ROOT, path), { force: true });
    }
  }, 120_000);

  it.each(PROBES.map((p) => [p.rule, p] as const))('%s: its probe is reported', (rule, p) => {
    const paths = Object.keys(p.files);
    expect(violations.filter((v) => paths.includes(v.from)).map((v) => v.rule.name)).toContain(rule);
  });

  it('the real tree has no violations', async () => {
    expect(await cruise(['src', 'libs', 'test'])).toEqual([]);
  }, 120_000);
});
