export { createTestDatabase, testRedisPrefix } from './test-database';
export type { TestDatabase } from './test-database';
export { createTestRuntime, dialectApp, DEMO_FIXTURE_PATH } from './test-runtime';
export type { TestRuntime, TestRuntimeOptions } from './test-runtime';
