/**
 * OmniStack backup facts beyond session one: a backup's unique size once calculated (and when),
 * the VM's name when it was taken (its virtual disks are named after it), the external store a
 * backup is kept on (copies to StoreOnce, backups and rules naming one), and the guest account
 * a VM's application-consistent backups log in with (backup_parameters). The account is a secret:
 * its own table, one row per VM, never on the VM row the control plane shows. A change stamp on it
 * lets cached VM bodies (app_aware_vm_status) follow it. Backup states CANCELING/CANCELED need no
 * schema change (backups.state has no CHECK constraint).
 */
exports.up = async (knex) => {
  await knex.schema.alterTable('backups', (t) => {
    t.bigInteger('unique_size_bytes').nullable();
    t.timestamp('unique_size_at', { useTz: true }).nullable();
    t.text('vm_name').nullable();
    // Set for a backup kept on an external store (StoreOnce) rather than in the cluster.
    t.text('external_store_name').nullable();
  });
  await knex.raw(`UPDATE backups b SET vm_name = v.name FROM vms v WHERE v.id = b.vm_id`);
  await knex.schema.createTable('vm_guest_credentials', (t) => {
    t.uuid('id').primary().references('vms.id').onDelete('CASCADE');
    t.bigIncrements('seq', { primaryKey: false }).unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('username').notNullable();
    t.text('password').notNullable();
    t.boolean('override_validation').notNullable().defaultTo(false);
    t.text('app_aware_type').nullable();
  });
  await knex.raw(
    `CREATE TRIGGER vm_guest_credentials_change_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON vm_guest_credentials FOR EACH STATEMENT EXECUTE FUNCTION rosetta_bump_change_stamp()`,
  );
};

exports.down = async (knex) => {
  await knex.schema.dropTableIfExists('vm_guest_credentials');
  await knex.schema.alterTable('backups', (t) => {
    t.dropColumn('unique_size_bytes');
    t.dropColumn('unique_size_at');
    t.dropColumn('vm_name');
    t.dropColumn('external_store_name');
  });
};
