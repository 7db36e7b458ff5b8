import { Request, Response, Router } from 'express';
import { CoreError, Host, Vm } from '@rosetta/core';
import { intParam, stringParams } from '@rosetta/http';
import { KeystoneContext } from '../auth';
import { ComputeContext, caller, computeBase, hostByName, jsonBody } from '../context';
import { novaFault, policyFault } from '../errors';
import { parseServerAction, parseServerCreate } from '../parse';
import { DEFAULT_ZONE, renderServer, renderServerSummary, serverStatus } from '../render';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A server is a core VM; the project that asked for it owns it (admins see every VM). */
const visible = (vm: Vm, who: KeystoneContext): boolean => who.isAdmin || (vm.build?.project !== undefined && vm.build?.project === who.project?.id);

export function serverRoutes(router: Router, ctx: ComputeContext): void {
  const { services, settings } = ctx;

  const lookup = async (req: Request<{ id: string }>): Promise<Vm> => {
    const who = caller(req);
    req.novaOp = { op: 'server', id: req.params.id };
    const vm = UUID.test(req.params.id) ? await services.vms.find(req.params.id.toLowerCase()) : undefined;
    if (!vm || !visible(vm, who)) throw new CoreError('NOT_FOUND', `vm ${req.params.id} not found`, { kind: 'vm', id: req.params.id });
    return vm;
  };

  const views = async (req: Request, vms: Vm[]) => {
    const hostIds = [...new Set(vms.map((v) => v.hostId).filter((h): h is string => !!h))];
    const [hosts, zones] = await Promise.all([
      hostIds.length ? services.hosts.list({ filter: { field: 'id', op: 'in', value: hostIds } }) : Promise.resolve([] as Host[]),
      services.zones.hostZones(),
    ]);
    const byId = new Map(hosts.map((h) => [h.id, h]));
    const admin = caller(req).isAdmin;
    return (vm: Vm) => {
      const host = vm.hostId ? byId.get(vm.hostId) : undefined;
      const zone = host ? (zones.get(host.id) ?? DEFAULT_ZONE) : (vm.build?.zone ?? null);
      return renderServer(vm, { base: computeBase(req), version: req.microversion, admin, host, zone, flavors: settings.flavors });
    };
  };

  router.post('/servers', async (req, res) => {
    const input = parseServerCreate(jsonBody(req), req.microversion.minor);
    const who = caller(req);
    if (!who.project) throw novaFault('VALIDATION', 'A project-scoped token is required to create servers.');
    const flavorId = input.flavorRef.split('/').pop() ?? '';
    const flavor = settings.flavors.find((f) => f.id === flavorId);
    if (!flavor) throw novaFault('VALIDATION', 'Invalid flavorRef provided.');
    const imageId = input.imageRef?.split('/').pop() ?? null;
    if (imageId !== null && !settings.images.some((m) => m.id === imageId)) throw novaFault('VALIDATION', `Image ${imageId} could not be found.`);
    if (input.host && !who.isAdmin) throw policyFault('os_compute_api:servers:create:forced_host');
    const forced = input.host ? await hostByName(services, input.host) : undefined;
    const zone = input.zone === undefined ? undefined : input.zone === DEFAULT_ZONE ? null : input.zone;
    const { vm } = await services.placement.requestVm(
      {
        name: input.name,
        cpuCount: flavor.vcpus,
        memoryMb: flavor.ramMb,
        diskBytes: flavor.diskGb * 1024 ** 3,
        zone,
        forcedHostId: forced?.id,
        image: imageId,
        flavor: flavor.id,
        owner: who.user.id,
        project: who.project.id,
        metadata: input.metadata,
      },
      'nova',
    );
    const base = computeBase(req);
    res.status(202).setHeader('Location', `${base}/v2.1/servers/${vm.id}`);
    res.json({
      server: {
        ...renderServerSummary(vm, base),
        'OS-DCF:diskConfig': 'MANUAL',
        security_groups: [{ name: 'default' }],
        adminPass: vm.id.replace(/-/g, '').slice(0, 12),
      },
    });
  });

  const listing = (detail: boolean) => async (req: Request, res: Response) => {
    const who = caller(req);
    const [allTenants] = stringParams(req.query.all_tenants, 'all_tenants');
    const [name] = stringParams(req.query.name, 'name');
    const [status] = stringParams(req.query.status, 'status');
    const [host] = stringParams(req.query.host, 'host');
    const limit = intParam(req.query.limit, 'limit', { min: 0 });
    const everyone = allTenants !== undefined && allTenants.toLowerCase() !== 'false' && allTenants !== '0';
    if (everyone && !who.isAdmin) throw policyFault('os_compute_api:servers:index:get_all_tenants');
    let vms = await services.vms.list({ order: [{ field: 'createdAt', direction: 'desc' }, { field: 'seq', direction: 'desc' }] });
    vms = vms.filter((vm) => (everyone ? true : vm.build?.project !== undefined && vm.build?.project === who.project?.id));
    if (name !== undefined) {
      let re: RegExp;
      try {
        re = new RegExp(name);
      } catch {
        throw novaFault('VALIDATION', `Invalid regular expression for name: ${name}`);
      }
      vms = vms.filter((vm) => re.test(vm.name));
    }
    if (status !== undefined) vms = vms.filter((vm) => serverStatus(vm).status === status.toUpperCase());
    if (host !== undefined && who.isAdmin) {
      const [h] = await services.hosts.list({ filter: { field: 'name', op: 'eq', value: host }, limit: 1 });
      vms = vms.filter((vm) => h && vm.hostId === h.id);
    }
    if (limit !== undefined) vms = vms.slice(0, limit);
    if (!detail) {
      res.json({ servers: vms.map((vm) => renderServerSummary(vm, computeBase(req))) });
      return;
    }
    const render = await views(req, vms);
    res.json({ servers: vms.map(render) });
  };

  router.get('/servers', listing(false));
  router.get('/servers/detail', listing(true));

  router.get('/servers/:id', async (req, res) => {
    const vm = await lookup(req);
    res.json({ server: (await views(req, [vm]))(vm) });
  });

  /** check_instance_state: the vm_states each action accepts (compute/api.py; hard reboot also from stopped, suspended, error). */
  const ACCEPTS: Record<'start' | 'stop' | 'soft' | 'hard', string[]> = {
    start: ['stopped'],
    stop: ['active', 'error'],
    soft: ['active'],
    hard: ['active', 'stopped', 'suspended', 'error'],
  };

  router.post('/servers/:id/action', async (req, res) => {
    const action = parseServerAction(jsonBody(req));
    const vm = await lookup(req);
    const mode = action.kind === 'reboot' ? (action.hard ? 'hard' : 'soft') : action.kind;
    const { vmState } = serverStatus(vm);
    if (!ACCEPTS[mode].includes(vmState)) {
      throw novaFault('CONFLICT', `Cannot '${action.kind}' instance ${vm.id} while it is in vm_state ${vmState}`);
    }
    if (action.kind === 'reboot') await services.jobs.start({ kind: 'vm.reboot', origin: 'nova', input: { vmId: vm.id }, affected: [{ kind: 'vm', id: vm.id }] });
    else await services.operations.powerVm('nova', vm.id, action.kind === 'start');
    res.status(202).end();
  });

  router.delete('/servers/:id', async (req, res) => {
    const vm = await lookup(req);
    await services.vms.remove(vm.id);
    res.status(204).end();
  });
}
