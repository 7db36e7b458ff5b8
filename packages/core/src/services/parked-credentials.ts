import { and } from '../ports/query';
import { Repositories } from '../ports/repositories';
import { ServiceDeps } from './deps';

/** Job kinds whose input names a parked credential (credentialId) that one of their steps consumes. */
export const CREDENTIAL_JOB_KINDS = ['external_store.register', 'external_store.update_credentials', 'vm.set_guest_credentials'];

/**
 * Job rows are public on the control plane, so a secret a request hands to a job waits in
 * parked_credentials and the job input names it by id. A job that fails before using it leaves
 * the row behind; such rows are swept on a later park once a day old and no open job names them
 * (the virtual clock may leap a day while a job waits).
 */
export async function parkCredential(tx: Repositories, { clock, ids }: Pick<ServiceDeps, 'clock' | 'ids'>, username: string, password: string): Promise<string> {
  const stale = await tx.parkedCredentials.list({ filter: { field: 'createdAt', op: 'lt', value: new Date(clock.now().getTime() - 86_400_000) }, limit: 20 });
  if (stale.length) {
    const open = await tx.jobs.list({ filter: and({ field: 'kind', op: 'in', value: CREDENTIAL_JOB_KINDS }, { field: 'state', op: 'in', value: ['queued', 'running'] }) });
    const wanted = new Set(open.map((j) => j.input.credentialId));
    for (const c of stale) if (!wanted.has(c.id)) await tx.parkedCredentials.delete(c.id);
  }
  return (await tx.parkedCredentials.insert({ id: ids.uuid(), username, password })).id;
}
