export { createTestDatabase, testRedisPrefix } from './test-database';
export type { TestDatabase } from './test-database';
export { createTestRuntime, dialectApp, DEMO_FIXTURE_PATH } from './test-runtime';
export type { TestRuntime, TestRuntimeOptions } from './test-runtime';
export { startRosetta } from './start-rosetta';
export type { Rosetta, StartRosettaOptions, DialectName } from './start-rosetta';
export { ControlApiError, ControlUnreachableError } from '@rosetta/control';
export type { ControlClient, ClockView, SnapshotView, FaultRuleInput } from '@rosetta/control';
