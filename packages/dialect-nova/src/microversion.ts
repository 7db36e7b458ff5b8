import { NextFunction, Request, Response } from 'express';
import { CoreError } from '@rosetta/core';

/** A compute API microversion, 2.N. */
export interface Microversion {
  major: number;
  minor: number;
}

export const MIN_VERSION: Microversion = { major: 2, minor: 1 };
/** Nova Zed's maximum: at least what the Debian clients ask for (novaclient 2.92, SDK 2.81). */
export const MAX_VERSION: Microversion = { major: 2, minor: 93 };

export const versionString = (v: Microversion): string => `${v.major}.${v.minor}`;

declare module 'express-serve-static-core' {
  interface Request {
    microversion: Microversion;
  }
}

const STANDARD = 'openstack-api-version';
const LEGACY = 'x-openstack-nova-api-version';
const FORMAT = /^([1-9]\d*)\.([1-9]\d*|0)$/;

/** The requested version text, as microversion_parse finds it: standard header's compute entry first, then legacy. */
function requested(req: Request): string | undefined {
  const standard = req.header(STANDARD);
  if (standard) {
    for (const part of standard.split(',')) {
      const [service, ...rest] = part.trim().split(/\s+/);
      if (service?.toLowerCase() === 'compute' && rest.length) return rest.join(' ');
    }
  }
  const legacy = req.header(LEGACY);
  return legacy === undefined ? undefined : legacy.trim();
}

export function atLeast(req: Request, minor: number): boolean {
  return req.microversion.minor >= minor;
}

function echo(res: Response, v: Microversion): void {
  res.setHeader('OpenStack-API-Version', `compute ${versionString(v)}`);
  res.setHeader('X-OpenStack-Nova-API-Version', versionString(v));
  res.setHeader('Vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version');
}

/**
 * Negotiates the version and echoes it on every response, errors included. Unparseable or
 * unsupported requests answer at the minimum version, which is what Nova assumes when none
 * could be agreed.
 */
export function microversions() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const text = requested(req);
    let version = MIN_VERSION;
    echo(res, version);
    req.microversion = version;
    if (text === undefined) return next();
    if (text.toLowerCase() === 'latest') version = MAX_VERSION;
    else {
      const m = FORMAT.exec(text);
      if (!m) {
        return next(
          new CoreError('VALIDATION', `API Version String ${text} is of invalid format. Must be of format MajorNum.MinorNum.`, { reason: 'nova' }),
        );
      }
      version = { major: Number(m[1]), minor: Number(m[2]) };
      const below = version.major < MIN_VERSION.major || (version.major === MIN_VERSION.major && version.minor < MIN_VERSION.minor);
      const above = version.major > MAX_VERSION.major || (version.major === MAX_VERSION.major && version.minor > MAX_VERSION.minor);
      if (below || above) {
        return next(
          new CoreError(
            'UNAVAILABLE',
            `Version ${text} is not supported by the API. Minimum is ${versionString(MIN_VERSION)} and maximum is ${versionString(MAX_VERSION)}.`,
            { reason: 'version_not_acceptable' },
          ),
        );
      }
    }
    req.microversion = version;
    echo(res, version);
    next();
  };
}
