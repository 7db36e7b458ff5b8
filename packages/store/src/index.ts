export { createKnexStore, createRepositories, DOMAIN_TABLES } from './knex-store';
export type { KnexStoreOptions } from './knex-store';
export { createDatabase, migrate, ensureDatabase, dropDatabase, MIGRATIONS_DIR } from './database';
export type { DatabaseOptions } from './database';
export { startEmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedDatabase } from './embedded-postgres';
export { isUuid } from './query-compiler';
export { openDatabase } from './open-database';
export type { OpenDatabase, OpenDatabaseOptions } from './open-database';
