import { loadConfig } from '@rosetta/config';
import { openDatabase } from '@rosetta/store';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, migrate: true });
  process.stdout.write(`migrations applied to ${db.embedded ? 'the embedded database' : 'DATABASE_URL'}\n`);
  await db.close();
}

main().catch((err) => {
  process.stderr.write(`migrate failed: ${(err as Error).message}\n`);
  process.exit(1);
});
