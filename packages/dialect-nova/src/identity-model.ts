import { createHash } from 'crypto';
import { NovaSettings } from './settings';

/** Keystone's view of the configured users: ids are stable hex digests of the names. */
export interface KeystoneUser {
  id: string;
  name: string;
  password: string;
  project: KeystoneProject;
  roles: KeystoneRole[];
}

export interface KeystoneProject {
  id: string;
  name: string;
}

export interface KeystoneRole {
  id: string;
  name: string;
}

export const DEFAULT_DOMAIN = { id: 'default', name: 'Default' };

/** Keystone ids are uuid4 hex without dashes; these are deterministic so every gateway agrees. */
export const keystoneId = (kind: string, name: string): string => createHash('sha256').update(`keystone/${kind}/${name}`).digest('hex').slice(0, 32);

export interface Directory {
  users: KeystoneUser[];
  projects: KeystoneProject[];
  userById(id: string): KeystoneUser | undefined;
  userByName(name: string): KeystoneUser | undefined;
  projectById(id: string): KeystoneProject | undefined;
  projectByName(name: string): KeystoneProject | undefined;
}

export function buildDirectory(settings: NovaSettings): Directory {
  const projects = new Map<string, KeystoneProject>();
  const project = (name: string): KeystoneProject => {
    let p = projects.get(name);
    if (!p) projects.set(name, (p = { id: keystoneId('project', name), name }));
    return p;
  };
  const users: KeystoneUser[] = settings.users.map((u) => ({
    id: keystoneId('user', u.name),
    name: u.name,
    password: u.password,
    project: project(u.project),
    roles: u.roles.map((r) => ({ id: keystoneId('role', r), name: r })),
  }));
  const byId = new Map(users.map((u) => [u.id, u]));
  const byName = new Map(users.map((u) => [u.name, u]));
  const list = [...projects.values()];
  return {
    users,
    projects: list,
    userById: (id) => byId.get(id),
    userByName: (name) => byName.get(name),
    projectById: (id) => list.find((p) => p.id === id),
    projectByName: (name) => projects.get(name),
  };
}
