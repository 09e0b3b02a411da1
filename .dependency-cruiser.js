/**
 * Layer rules (run by `npm test`; each one is proved by a probe in test/unit/layer-rules.spec.ts).
 * The domain stays pure, contexts meet only through their index.ts, application and infrastructure
 * never reach into http/, and the kernel stays framework-free.
 *
 * An npm dependency resolves to `node_modules/<name>/...`, so package rules match that path.
 * `import type` counts: tsPreCompilationDeps keeps type-only imports in the graph and no rule exempts them.
 */
const CONTEXT = '^src/contexts/[^/]+';
// The only npm package the kernel and the domain may use: exact decimals.
const PURE_NPM = '^node_modules/decimal\\.js/';
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports nothing from its application, infrastructure or http layers, nor the Nest platform (type imports included)',
      severity: 'error',
      from: { path: `${CONTEXT}/domain/` },
      to: { path: [`${CONTEXT}/(application|infrastructure|http)/`, '^libs/nest/', '^src/[^/]+\\.ts$'] },
    },
    {
      name: 'domain-no-npm',
      comment: 'domain/ uses no npm package but decimal.js (no Nest, TypeORM, mongo driver, validators, ccxt, ...)',
      severity: 'error',
      from: { path: `${CONTEXT}/domain/` },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: PURE_NPM },
    },
    {
      name: 'domain-names-other-contexts-by-type',
      comment:
        "domain/ may name another context's published types (import type from its index.ts) but never loads it: that would pull its Nest module in",
      severity: 'error',
      from: { path: '^src/contexts/([^/]+)/domain/' },
      to: { path: '^src/contexts/', pathNot: '^src/contexts/$1/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'kernel-no-npm',
      comment: 'libs/kernel is framework-free: no npm package but decimal.js (no @nestjs/*, typeorm, ...)',
      severity: 'error',
      from: { path: '^libs/kernel/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: PURE_NPM },
    },
    {
      name: 'kernel-is-the-bottom',
      comment: 'libs/kernel imports neither the Nest platform, nor contexts, nor tests',
      severity: 'error',
      from: { path: '^libs/kernel/' },
      to: { path: ['^libs/(nest|testing)/', '^src/', '^test/'] },
    },
    {
      name: 'libs-do-not-reach-into-contexts',
      severity: 'error',
      from: { path: '^libs/(kernel|nest)/' },
      to: { path: '^src/contexts/' },
    },
    {
      name: 'application-not-http',
      comment: 'application services return domain results; only http/ knows request and response shapes',
      severity: 'error',
      from: { path: `${CONTEXT}/application/` },
      to: { path: `${CONTEXT}/http/` },
    },
    {
      name: 'infrastructure-not-http',
      severity: 'error',
      from: { path: `${CONTEXT}/infrastructure/` },
      to: { path: `${CONTEXT}/http/` },
    },
    {
      name: 'contexts-meet-through-index',
      comment: "a context imports another context only through that context's index.ts",
      severity: 'error',
      from: { path: '^src/contexts/([^/]+)/' },
      to: { path: '^src/contexts/([^/]+)/.+', pathNot: ['^src/contexts/$1/', '^src/contexts/[^/]+/index\\.ts$'] },
    },
    {
      name: 'production-not-tests',
      comment: 'fakes and test helpers live under test/ and libs/testing; shipped code never imports them',
      severity: 'error',
      from: { path: '^(src|libs/(kernel|nest))/' },
      to: { path: '^(test|libs/testing)/' },
    },
    { name: 'no-circular', severity: 'error', from: { path: '^(src|libs)/' }, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.spec\\.ts$' },
  },
};
