import { ConfParamOwner, confParamHelp } from '@rosetta/core';
import { FieldSpec, Filtering, Method, ResourceDef, TastypieReply, memoryPage, ok } from '../tastypie';

const CONF_PARAM_KINDS: Record<string, ConfParamOwner> = { FS: 'filesystem', MDT: 'MDT', OST: 'OST' };
import { SERVER_PROFILES, renderServerProfile } from '../render';
import { LCtx } from './common';

const ID: FieldSpec = { type: 'integer', readonly: true, unique: true };
const URI: FieldSpec = { type: 'string', readonly: true };
const S: FieldSpec = { type: 'string' };
const B: FieldSpec = { type: 'boolean' };
const I: FieldSpec = { type: 'integer' };
const D: FieldSpec = { type: 'datetime' };
const TO_ONE: FieldSpec = { type: 'related', related: 'to_one' };
const TO_MANY: FieldSpec = { type: 'related', related: 'to_many' };

/**
 * Resources for facts the domain holds none of yet (alerts, HSM copytools, power control, storage
 * plugins): they answer their schema and an empty, correctly shaped list, and 404 for any object.
 */
function unpopulated(name: string, fields: Record<string, FieldSpec>, listAllowed: readonly Method[], detailAllowed: readonly Method[], filtering?: Filtering, ordering?: string[]): ResourceDef<LCtx> {
  return {
    name,
    fields,
    filtering,
    ordering,
    listAllowed,
    detailAllowed,
    list: async (_ctx, q) => memoryPage([], q),
    detail: async () => undefined,
  };
}

export const serverProfileResource: ResourceDef<LCtx> = {
  name: 'server_profile',
  fields: {
    corosync: B, corosync2: B, default: B, initial_state: S, managed: B, name: { type: 'string', unique: true }, ntp: B, pacemaker: B,
    resource_uri: URI, ui_description: S, ui_name: S, user_selectable: B, worker: B,
  },
  filtering: { default: ['exact'], managed: ['exact'], name: ['exact'], user_selectable: ['exact'], worker: ['exact'] },
  ordering: ['managed', 'default'],
  listAllowed: ['get'],
  detailAllowed: ['get', 'post', 'put', 'delete', 'patch'],
  list: async (ctx, q) => memoryPage(Object.keys(SERVER_PROFILES).map((n) => renderServerProfile(ctx.base, n)), q),
  detail: async (ctx, pk) => (SERVER_PROFILES[pk] ? renderServerProfile(ctx.base, pk) : undefined),
};

export const miscResources: ResourceDef<LCtx>[] = [
  serverProfileResource,
  unpopulated('copytool_operation', { copytool: TO_ONE, description: S, finished_at: D, id: ID, info: S, path: S, processed_bytes: S, resource_uri: URI, started_at: D, state: S, total_bytes: S, type: S, updated_at: D }, ['get'], ['get']),
  unpopulated('package', { arch: S, available_hosts: TO_MANY, epoch: I, installed_hosts: TO_MANY, name: S, release: S, resource_uri: URI, version: S }, ['get'], [], undefined, ['name']),
  {
    name: 'help',
    fields: { resource_uri: URI },
    listAllowed: [],
    detailAllowed: [],
    extra: {
      conf_param: {
        allowed: ['get'],
        async handle(ctx) {
          const params = new URLSearchParams(ctx.req.url.split('?')[1] ?? '');
          const kind = params.get('kind');
          const keys = params.get('keys');
          if (kind) {
            // IML's MGT has no tunables of its own; a kind IML does not know is refused rather than a 500.
            if (kind === 'MGT') return ok({});
            const owner = CONF_PARAM_KINDS[kind];
            if (!owner) return new TastypieReply(400, { kind: [`Invalid kind '${kind}' (choose from FS, MDT, MGT, OST)`] });
            return ok(confParamHelp([owner], null));
          }
          if (keys) return ok(confParamHelp(null, keys.split(',')));
          return new TastypieReply(400, { kind: ['This field is mandatory'] });
        },
      },
    },
  },
  {
    name: 'system_status',
    fields: { postgres: { type: 'dict' }, rabbitmq: { type: 'dict' }, resource_uri: URI },
    listAllowed: ['get'],
    detailAllowed: [],
    rawList: true,
    async list(ctx) {
      const started = Date.now();
      const hosts = await ctx.services.hosts.count();
      return {
        objects: [{ postgres: { connection_count: 1, table_counts: { chroma_core_managedhost: hosts }, query_ms: Date.now() - started }, rabbitmq: {}, resource_uri: `${ctx.base}/api/system_status/` }],
        total: 1,
      };
    },
  },
];

export const actionResource: ResourceDef<LCtx> = {
  name: 'action',
  fields: {
    args: { type: 'dict', nullable: true }, class_name: { type: 'string', nullable: true }, composite_id: S, confirmation: { type: 'string', nullable: true },
    display_group: I, display_order: I, long_description: S, state: { type: 'string', nullable: true }, verb: S,
  },
  listAllowed: ['get'],
  detailAllowed: [],
};

