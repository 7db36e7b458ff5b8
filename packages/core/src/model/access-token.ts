import { Entity } from './entity';
import { Principal } from './principal';

/**
 * A bearer token issued by a dialect's login (OmniStack OAuth). The id is the token itself:
 * every gateway sharing the store accepts it. It dies after idleSeconds without use or at
 * expiresAt, whichever comes first, on the domain clock.
 */
export interface AccessToken extends Entity {
  /** Which dialect issued it: tokens of one realm are never accepted by another. */
  realm: string;
  /** The user name the principal logged in with. */
  subject: string;
  principal: Principal;
  idleSeconds: number;
  lastUsedAt: Date;
  expiresAt: Date;
}

export interface NewAccessToken {
  id?: string;
  realm: string;
  subject: string;
  principal: Principal;
  idleSeconds: number;
  lastUsedAt: Date;
  expiresAt: Date;
}

export type AccessTokenPatch = Partial<Pick<AccessToken, 'lastUsedAt'>>;
