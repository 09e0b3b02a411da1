// ESLint (flat config): typescript-eslint's type-aware checks for real defects
// (promises nobody awaits, async callbacks where void is expected, awaiting non-promises,
// unused code), not a style guide: Prettier owns formatting.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', 'coverage/', 'console/', 'bench/results/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      // the code base uses `cond && (a, b)` sequences on purpose; not a defect class worth a mass rewrite
      '@typescript-eslint/no-unused-expressions': 'off',
      // input sanitisers match control characters on purpose
      'no-control-regex': 'off',
      'no-console': 'off',
    },
  },
  {
    // An e2e spec runs on TEST_DATABASE_URL's server OR on the embedded one globalSetup starts (`npm test` on a fresh
    // machine): the server's URL comes from @testing/test-database's serverUrl(), never from the variable directly.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.property.name='env'][property.name='TEST_DATABASE_URL']",
          message: 'use serverUrl() from @testing/test-database: the variable is unset when the e2e run uses the embedded server',
        },
      ],
    },
  },
);
