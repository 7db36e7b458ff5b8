// Lint = typescript-eslint's recommended rules + the dependency rule of DESIGN.md section 2, enforced.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

const noEnv = {
  'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only @rosetta/config reads the environment.' }],
};

module.exports = tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '.rosetta/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly', globalThis: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      ...restrict(['@rosetta/*', 'express', 'express/*', 'knex', 'pg', 'bullmq', 'ioredis', 'pino', 'pino-http', 'passport*'], 'core knows no HTTP, no database driver, no queue and no other package of this repo.'),
      ...noEnv,
    },
  },
  {
    files: ['packages/dialect-*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      ...restrict(['@rosetta/store', '@rosetta/queue', '@rosetta/config', '@rosetta/dialect-*', '@rosetta/testing', '@rosetta/control', '@rosetta/gateway', '@rosetta/worker', 'knex', 'pg', 'bullmq', 'ioredis'], 'a dialect depends on @rosetta/core and @rosetta/http only.'),
      ...noEnv,
    },
  },
  {
    files: ['packages/http/src/**/*.ts', 'packages/control/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { ...restrict(['@rosetta/store', '@rosetta/queue', '@rosetta/config', '@rosetta/dialect-*', '@rosetta/gateway', '@rosetta/worker', 'knex', 'pg', 'bullmq', 'ioredis'], 'shared HTTP plumbing depends on core only.'), ...noEnv },
  },
  {
    files: ['packages/store/src/**/*.ts', 'packages/queue/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { ...restrict(['@rosetta/http', '@rosetta/config', '@rosetta/control', '@rosetta/dialect-*', '@rosetta/gateway', '@rosetta/worker', 'express'], 'adapters implement core ports with their driver only.'), ...noEnv },
  },
  {
    // Only the edge packages (testing: startRosetta; cli: start/worker) may use the composed apps.
    files: ['packages/config/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { ...restrict(['@rosetta/gateway', '@rosetta/worker'], 'packages do not depend on apps (only @rosetta/testing and @rosetta/cli, which run the composed product).') },
  },
  {
    files: ['apps/*/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { ...restrict(['@rosetta/testing', '@rosetta/cli'], 'apps compose packages; the edge packages (testing, cli) sit above them.'), ...noEnv },
  },
);
