import { Request } from 'express';
import { NovaSettings } from './settings';

/**
 * Where this gateway can be reached, as the client reached it: scheme and Host header, plus
 * the mount point. Identity and compute are siblings under one prefix on the shared port
 * (…/identity and …/compute) or each at the root of its own port.
 */
const SIBLING = /\/(identity|compute)$/;

declare module 'express-serve-static-core' {
  interface Request {
    /** Where the dialect router is mounted, fixed before nested routers change req.baseUrl. */
    novaMount?: string;
  }
}

const mount = (req: Request): string => req.novaMount ?? req.baseUrl;

function scheme(req: Request): string {
  return req.protocol;
}

function hostHeader(req: Request): string {
  const host = req.get('host');
  return host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? host : `${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort ?? 80}`;
}

function hostname(req: Request): string {
  try {
    return new URL(`${scheme(req)}://${hostHeader(req)}`).hostname;
  } catch {
    return '127.0.0.1';
  }
}

/** Base URL of the router that is answering (no trailing slash). */
export function selfBase(req: Request): string {
  return `${scheme(req)}://${hostHeader(req)}${mount(req)}`;
}

/** Base URL of the other service: the sibling prefix on the shared port, or its own port. */
export function siblingBase(req: Request, settings: NovaSettings, other: 'identity' | 'compute'): string {
  if (SIBLING.test(mount(req))) return `${scheme(req)}://${hostHeader(req)}${mount(req).replace(SIBLING, `/${other}`)}`;
  const port = other === 'identity' ? settings.identityPort : settings.computePort;
  if (port !== undefined) return `${scheme(req)}://${hostname(req)}:${port}`;
  const shared = settings.publicUrl
    ? settings.publicUrl.replace(/\/+$/, '')
    : `${scheme(req)}://${settings.sharedPort !== undefined ? `${hostname(req)}:${settings.sharedPort}` : hostHeader(req)}`;
  return `${shared}/openstack/${other}`;
}
