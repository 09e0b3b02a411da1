/**
 * Layer rules (run by `npm test`): the domain stays pure, contexts meet only
 * through their index.ts, and the framework-free kernel stays framework-free.
 */
const FRAMEWORK = '^(@nestjs|typeorm|mongodb|class-validator|class-transformer|@nestjs/swagger|fastify|pg|ioredis|ccxt)';
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports nothing from Nest, TypeORM, the mongo driver, validators or HTTP',
      severity: 'error',
      from: { path: '^src/contexts/[^/]+/domain/' },
      to: { path: [FRAMEWORK, '^src/contexts/[^/]+/(application|infrastructure|http)/', '^libs/nest/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-no-framework-types',
      severity: 'error',
      from: { path: '^src/contexts/[^/]+/domain/' },
      to: { dependencyTypes: ['npm', 'npm-dev'], pathNot: '^node_modules/(decimal\\.js)' },
    },
    {
      name: 'kernel-is-framework-free',
      severity: 'error',
      from: { path: '^libs/kernel/' },
      to: { path: ['^libs/nest/', '^src/', FRAMEWORK] },
    },
    {
      name: 'libs-do-not-reach-into-contexts',
      severity: 'error',
      from: { path: '^libs/(kernel|nest)/' },
      to: { path: '^src/contexts/' },
    },
    {
      name: 'contexts-meet-through-index',
      comment: "a context imports another context only through that context's index.ts",
      severity: 'error',
      from: { path: '^src/contexts/([^/]+)/' },
      to: { path: '^src/contexts/([^/]+)/.+', pathNot: ['^src/contexts/$1/', '^src/contexts/[^/]+/index\\.ts$'] },
    },
    { name: 'no-circular', severity: 'error', from: { path: '^src/contexts/[^/]+/domain/' }, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.spec\\.ts$' },
  },
};
