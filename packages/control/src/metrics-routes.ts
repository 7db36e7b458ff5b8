import { Router } from 'express';
import { Gauge } from 'prom-client';
import { FaultService, JobState, Services } from '@rosetta/core';
import { HttpMetrics } from '@rosetta/http';

const JOB_STATES: JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/**
 * GET /metrics in Prometheus text format: the http request metrics plus domain gauges read
 * from PostgreSQL at scrape time (so every gateway reports the same shared domain).
 */
export function metricsRoutes(r: Router, metrics: HttpMetrics, services: Services, faults: FaultService): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'rosetta_domain_objects',
    help: 'Domain objects by kind',
    labelNames: ['kind'],
    registers,
    async collect() {
      const kinds = { sites: services.sites, clusters: services.clusters, hosts: services.hosts, devices: services.devices, vms: services.vms, datastores: services.datastores, volumes: services.volumes, filesystems: services.filesystems } as const;
      for (const [kind, reads] of Object.entries(kinds)) this.set({ kind }, await reads.count());
    },
  });
  new Gauge({
    name: 'rosetta_jobs',
    help: 'Jobs by kind and state (queued = queue depth)',
    labelNames: ['kind', 'state'],
    registers,
    async collect() {
      this.reset();
      for (const state of JOB_STATES) {
        const byKind = await services.jobs.countBy('kind', { field: 'state', op: 'eq', value: state });
        for (const [kind, n] of Object.entries(byKind)) this.set({ kind, state }, n);
      }
    },
  });
  new Gauge({
    name: 'rosetta_device_bytes',
    help: 'Device capacity in bytes, by use',
    labelNames: ['use'],
    registers,
    async collect() {
      const total = (byState: Record<string, number>): number => Object.values(byState).reduce((sum, n) => sum + n, 0);
      const size = total(await services.devices.sumBy('sizeBytes', 'state'));
      const used = total(await services.devices.sumBy('usedBytes', 'state'));
      this.set({ use: 'used' }, used);
      this.set({ use: 'free' }, size - used);
    },
  });
  new Gauge({
    name: 'rosetta_fault_rule_hits',
    help: 'Times each fault rule has fired',
    labelNames: ['rule', 'target'],
    registers,
    async collect() {
      this.reset();
      for (const rule of await faults.list({ limit: 1000 })) this.set({ rule: rule.id, target: rule.target }, rule.hits);
    },
  });
  r.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
}
