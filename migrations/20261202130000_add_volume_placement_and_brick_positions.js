/**
 * Two storage-volume facts brick replacement needs (Heketi's brick eviction, device and node
 * failure): the placement rules a volume was made under (strict zones, device tag match,
 * arbiter with its average file size), which a replacement brick must honour as the volume's
 * own bricks did; and each brick's position in its volume (gluster's brick order: bricks
 * [k*n, k*n+n) form replica/disperse set k, the third of an arbiter set is the arbiter), which
 * a replacement brick takes over from the brick it replaces.
 */
exports.up = async (knex) => {
  await knex.schema.alterTable('volumes', (t) => {
    t.jsonb('placement');
  });
  await knex.schema.alterTable('bricks', (t) => {
    t.integer('position').notNullable().defaultTo(0);
  });
  // Until now a volume's bricks were written in gluster's order, so creation order is their position.
  await knex.raw(`
    UPDATE bricks b SET position = o.position
    FROM (SELECT id, row_number() OVER (PARTITION BY volume_id ORDER BY seq) - 1 AS position FROM bricks) o
    WHERE b.id = o.id`);
  await knex.schema.alterTable('bricks', (t) => {
    t.index(['volume_id', 'position']);
  });
};

exports.down = async (knex) => {
  await knex.schema.alterTable('bricks', (t) => {
    t.dropIndex(['volume_id', 'position']);
    t.dropColumn('position');
  });
  await knex.schema.alterTable('volumes', (t) => {
    t.dropColumn('placement');
  });
};
