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

const PROBES: Probe[] = [
  // a type-only import counts
  probe(
    'domain-is-pure',
    `src/contexts/funds/domain/${TAG}_pure.ts`,
    "import type * as app from '../application/subscriptions.service';\nexport type P = typeof app;\n",
  ),
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
  probe(
    'libs-do-not-reach-into-contexts',
    `libs/nest/${TAG}_reach.ts`,
    "import type * as funds from '../../src/contexts/funds';\nexport type F = typeof funds;\n",
  ),
  probe(
    'application-not-http',
    `src/contexts/funds/application/${TAG}_http.ts`,
    "import type * as dto from '../http/funds.dto';\nexport type D = typeof dto;\n",
  ),
  probe(
    'infrastructure-not-http',
    `src/contexts/funds/infrastructure/${TAG}_http.ts`,
    "import type * as dto from '../http/funds.dto';\nexport type D = typeof dto;\n",
  ),
  probe(
    'contexts-meet-through-index',
    `src/contexts/loans/application/${TAG}_index.ts`,
    "import type * as fund from '../../funds/domain/fund';\nexport type F = typeof fund;\n",
  ),
  probe(
    'production-not-tests',
    `src/contexts/funds/application/${TAG}_tests.ts`,
    "import type * as fakes from '../../../../test/fakes/funds-in-memory';\nexport type F = typeof fakes;\n",
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
