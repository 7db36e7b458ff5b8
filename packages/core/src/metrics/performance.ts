import { Host } from '../model/host';
import { VmLoad } from '../model/consolidation';
import { LoadSample, hostPowerWatts, sampleLoad } from './load-model';

/**
 * Host, VM and datastore performance derived from the load model: a host's load is the sum
 * of the load of the VMs running on it, so moving a VM moves its load and switching a host
 * off takes its power draw to zero. Everything is a pure function of the domain rows and the
 * clock, so every dialect and the consolidation engine see the same figures.
 */

/** Network capacity assumed for every host (the core has no NIC model), MB/s. */
export const HOST_BANDWIDTH_MBPS = 1000;

/** Samples are taken on a one-minute grid, like the load model's jitter. */
export const sampleTime = (now: Date): Date => new Date(Math.floor(now.getTime() / 60_000) * 60_000);

export interface VmDemand {
  vm: VmLoad;
  sample: LoadSample;
  running: boolean;
  /** CPU in use, in cores. */
  cpuCores: number;
  /** Memory actively used, MB. */
  activeMemoryMb: number;
  /** Memory the hypervisor must back for a running VM, MB. */
  grantedMemoryMb: number;
  /** Network and storage traffic, MB/s. */
  trafficMbps: number;
}

export function vmDemand(vm: VmLoad, at: Date): VmDemand {
  const running = vm.state === 'running';
  const sample = sampleLoad({ id: vm.id, cpuUsagePct: vm.cpuUsagePct, memoryUsagePct: vm.memoryUsagePct, running }, at);
  return {
    vm,
    sample,
    running,
    cpuCores: (sample.cpuPct / 100) * vm.cpuCount,
    activeMemoryMb: (sample.memoryPct / 100) * vm.memoryMb,
    grantedMemoryMb: running ? vm.memoryMb : 0,
    trafficMbps: (sample.readBytesPerSec + sample.writeBytesPerSec) / 1_000_000,
  };
}

export interface HostPerformance {
  at: Date;
  cpuPct: number;
  memoryPct: number;
  bandwidthPct: number;
  powerWatts: number;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const pct = (used: number, capacity: number): number => (capacity > 0 ? Math.min(100, (used / capacity) * 100) : 0);

export function hostPerformance(host: Host, demands: VmDemand[], at: Date): HostPerformance {
  if (host.power === 'off') return { at, cpuPct: 0, memoryPct: 0, bandwidthPct: 0, powerWatts: 0 };
  const cpu = demands.reduce((s, d) => s + d.cpuCores, 0);
  const mem = demands.reduce((s, d) => s + d.activeMemoryMb, 0);
  const traffic = demands.reduce((s, d) => s + d.trafficMbps, 0);
  const cpuPct = round2(pct(cpu, host.cpuCores));
  return {
    at,
    cpuPct,
    memoryPct: round2(pct(mem, host.memoryMb)),
    bandwidthPct: round2(pct(traffic, HOST_BANDWIDTH_MBPS)),
    powerWatts: hostPowerWatts(host, cpuPct),
  };
}

export interface VmPerformance {
  at: Date;
  cpuPct: number;
  memoryPct: number;
  bandwidthPct: number;
  activeMemoryMb: number;
  compressedMemoryMb: number;
  swappedMemoryMb: number;
  balloonedMemoryMb: number;
}

/**
 * A VM's figures. Reclaimed memory (balloon, compression, swap) appears only when the running
 * VMs on its host are granted more memory than the host has; the shortfall is shared in
 * proportion to each VM's size, mostly ballooned, some compressed, a little swapped.
 */
export function vmPerformance(demand: VmDemand, host: Host | undefined, hostDemands: VmDemand[], at: Date): VmPerformance {
  const { sample } = demand;
  const zero = { compressedMemoryMb: 0, swappedMemoryMb: 0, balloonedMemoryMb: 0 };
  if (!demand.running || !host || host.power === 'off') {
    return { at, cpuPct: 0, memoryPct: 0, bandwidthPct: 0, activeMemoryMb: 0, ...zero };
  }
  const granted = hostDemands.reduce((s, d) => s + d.grantedMemoryMb, 0);
  const shortfall = Math.max(0, granted - host.memoryMb);
  const share = granted > 0 ? (shortfall * demand.grantedMemoryMb) / granted : 0;
  return {
    at,
    cpuPct: sample.cpuPct,
    memoryPct: sample.memoryPct,
    bandwidthPct: round2(pct(demand.trafficMbps, HOST_BANDWIDTH_MBPS)),
    activeMemoryMb: Math.round(demand.activeMemoryMb),
    balloonedMemoryMb: Math.round(share * 0.6),
    compressedMemoryMb: Math.round(share * 0.3),
    swappedMemoryMb: Math.round(share * 0.1),
  };
}

export interface DatastorePerformance {
  at: Date;
  /** I/O operations per second issued by the running VMs stored on it. */
  iops: number;
}

export function datastorePerformance(demands: VmDemand[], at: Date): DatastorePerformance {
  return { at, iops: demands.reduce((s, d) => s + (d.running ? d.sample.readIops + d.sample.writeIops : 0), 0) };
}
