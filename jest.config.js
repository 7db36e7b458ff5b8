/** One jest run over every package; TypeScript is compiled by swc (type-checking is `npm run build`). */
const path = require('path');

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleNameMapper: {
    '^@rosetta/(gateway|worker)$': '<rootDir>/apps/$1/src',
    '^@rosetta/([a-z0-9-]+)$': '<rootDir>/packages/$1/src',
    // Subpath entries (package.json "exports") map to the source file of the same name.
    '^@rosetta/control/client$': '<rootDir>/packages/control/src/client',
  },
  globalSetup: path.join(__dirname, 'test/global-setup.js'),
  globalTeardown: path.join(__dirname, 'test/global-teardown.js'),
  testTimeout: 30000,
  reporters: ['default', path.join(__dirname, 'test/summary-reporter.js')],
  maxWorkers: process.env.JEST_MAX_WORKERS || 2,
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};
