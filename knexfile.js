// For the knex CLI (npx knex migrate:latest); the apps migrate through @rosetta/store.
module.exports = {
  client: 'pg',
  connection: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/rosetta',
  migrations: { directory: './migrations', loadExtensions: ['.js'] },
};
