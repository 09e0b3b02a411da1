// Unit tier: domain and application code with in-memory fakes of the ports, no I/O.
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  // Jest's default on 2 cores is 1 worker; nothing else runs beside the unit tier, so it takes both.
  maxWorkers: 2,
  // Plain Node worker threads that keep loaded modules across spec files (see jest.e2e.config.js); its jest object
  // has fn/spyOn/fake timers but no useFakeTimers options: `jest.useFakeTimers().setSystemTime(t)`.
  runner: 'jest-light-runner',
  roots: ['<rootDir>/src', '<rootDir>/libs', '<rootDir>/test/unit'],
  testRegex: '.*\\.spec\\.ts$',
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // ccxt's CommonJS build requires ESM-only @noble/@scure packages: compile those to CJS for Jest.
    // trading-signals ships ESM only: same treatment.
    '^.+/node_modules/(@(noble|scure)|trading-signals)/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs' }, isolatedModules: true },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@(noble|scure)|trading-signals)/)'],
  moduleNameMapper: {
    '^@kernel$': '<rootDir>/libs/kernel/index.ts',
    '^@kernel/(.*)$': '<rootDir>/libs/kernel/$1',
    '^@platform/(.*)$': '<rootDir>/libs/nest/$1',
    '^@testing/(.*)$': '<rootDir>/libs/testing/$1',
  },
};
