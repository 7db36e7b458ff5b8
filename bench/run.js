// `npm run bench`: every benchmark under bench/, each figure printed beside its target.
// Needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL, defaults 127.0.0.1) and a build (npm run bench builds).
const fs = require('fs');
const path = require('path');
const { summary } = require('./lib');

async function main() {
  const only = process.argv[2];
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js') && (!only || f.startsWith(only)))
    .sort((a, b) => (a.startsWith('foundation') ? -1 : b.startsWith('foundation') ? 1 : a.localeCompare(b)));
  for (const file of files) await require(path.join(__dirname, file))();
  summary();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
