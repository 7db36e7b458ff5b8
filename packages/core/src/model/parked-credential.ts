import { Entity } from './entity';

/**
 * A secret on its way to a job: stored by the request, named by id in the job input (job rows are
 * visible on the control plane, so secrets never go there) and deleted by the step that uses it.
 */
export interface ParkedCredential extends Entity {
  username: string;
  password: string;
}

export interface NewParkedCredential {
  id?: string;
  username: string;
  password: string;
}

export type ParkedCredentialPatch = Record<string, never>;
