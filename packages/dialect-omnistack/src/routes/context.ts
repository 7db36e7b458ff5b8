import { Request, Response } from 'express';
import { Job, Page, Services } from '@rosetta/core';
import { OmniStackSettings } from '../settings';
import { ParsedList, project } from '../parse';
import { RenderEnv, renderTask } from '../render';
import { sendJson } from '../wire';
import { createLookups } from '../filters';

/** What every resource's routes share. */
export interface RouteContext {
  services: Services;
  settings: OmniStackSettings;
  lookups: ReturnType<typeof createLookups>;
  env(): RenderEnv;
  /** Who asked, as jobs record it. */
  origin: string;
}

export function routeContext(services: Services, settings: OmniStackSettings): RouteContext {
  return {
    services,
    settings,
    lookups: createLookups(services),
    env: () => ({ svtfsVersion: settings.svtfsVersion, now: services.clock.now() }),
    origin: 'omnistack',
  };
}

/** The list envelope: offset and limit echo the request, count is every match before paging. */
export function sendList<T>(res: Response, key: string, parsed: ParsedList, page: Page<T>, render: (item: T) => Record<string, unknown>): void {
  sendJson(res, 200, listBody(key, parsed, page, render));
}

export function listBody<T>(key: string, parsed: ParsedList, page: Page<T>, render: (item: T) => Record<string, unknown>): Record<string, unknown> {
  return { offset: parsed.offset, limit: parsed.limit, count: page.total, [key]: page.items.map((i) => project(render(i), parsed.fields)) };
}

/** Accepted: every task-producing call answers 202 with the task as it stands. */
export function sendTask(res: Response, job: Job): void {
  sendJson(res, 202, { task: renderTask(job) });
}

export const param = (req: Request, name: string): string => String(req.params[name]);
