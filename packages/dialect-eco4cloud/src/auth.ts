import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { Request } from 'express';
import { Clock, CoreError, Principal } from '@rosetta/core';
import { DialectAuth, dialectAuth } from '@rosetta/http';

export interface Eco4CloudUser {
  name: string;
  /** A secret: compared in constant time, never logged. */
  password: string;
  readOnly: boolean;
}

export interface TicketSettings {
  users: Eco4CloudUser[];
  /** Lifetime of a ticket on the domain clock. */
  ticketMinutes: number;
  /** HMAC key shared by every gateway that must accept the same tickets. */
  ticketSecret: string;
}

/**
 * Tickets are signed, not stored: `<payload>.<mac>` where the payload carries the user, the
 * issue time on the domain clock and a nonce (so every login yields a unique code). Any
 * gateway holding the same secret validates any other's tickets without shared state.
 */
export interface Tickets {
  login(username: unknown, password: unknown): string;
  verify(ticket: string): Principal;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');
const unb64 = (s: string): string => Buffer.from(s, 'base64url').toString('utf8');

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Compare equal-length digests so the length of the stored secret does not leak either.
  return timingSafeEqual(createHmac('sha256', 'cmp').update(x).digest(), createHmac('sha256', 'cmp').update(y).digest()) && x.length === y.length;
}

const unauthenticated = (reason: string, message: string): CoreError => new CoreError('UNAUTHENTICATED', message, { reason });

/** Verified tickets kept (a client polls with one ticket for an hour): no HMAC per request. */
const VERIFIED_MAX = 1024;

export function createTickets(settings: TicketSettings, clock: Clock): Tickets {
  const verified = new Map<string, { user: Eco4CloudUser; issuedAt: number }>();
  const mac = (payload: string): string => createHmac('sha256', settings.ticketSecret).update(payload).digest('base64url');
  const principal = (user: Eco4CloudUser): Principal => ({ name: user.name, roles: user.readOnly ? ['reader'] : ['admin'], readOnly: user.readOnly });
  return {
    login(username, password) {
      if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
        throw unauthenticated('missing_login', 'username and password are required');
      }
      const user = settings.users.find((u) => u.name === username);
      // Compare against something even for unknown users, so timing does not reveal who exists.
      const ok = sameSecret(password, user?.password ?? '\u0000unknown') && user !== undefined;
      if (!ok) throw unauthenticated('bad_credentials', 'invalid username or password');
      const payload = b64(JSON.stringify({ u: user.name, t: clock.now().getTime(), n: randomBytes(9).toString('hex') }));
      return `${payload}.${mac(payload)}`;
    },
    verify(ticket) {
      const known = verified.get(ticket);
      if (known) {
        if (clock.now().getTime() - known.issuedAt >= settings.ticketMinutes * 60_000) throw unauthenticated('expired_ticket', 'ticket expired');
        return principal(known.user);
      }
      const dot = ticket.indexOf('.');
      if (dot <= 0 || ticket.length > 1024) throw unauthenticated('bad_ticket', 'invalid ticket');
      const payload = ticket.slice(0, dot);
      const given = Buffer.from(ticket.slice(dot + 1), 'utf8');
      const expected = Buffer.from(mac(payload), 'utf8');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unauthenticated('bad_ticket', 'invalid ticket');
      let claims: { u?: unknown; t?: unknown };
      try {
        claims = JSON.parse(unb64(payload));
      } catch {
        throw unauthenticated('bad_ticket', 'invalid ticket');
      }
      const user = settings.users.find((u) => u.name === claims.u);
      if (!user || typeof claims.t !== 'number') throw unauthenticated('bad_ticket', 'invalid ticket');
      if (clock.now().getTime() - claims.t >= settings.ticketMinutes * 60_000) throw unauthenticated('expired_ticket', 'ticket expired');
      // Only signature-checked tickets are kept, so the map cannot be filled with forgeries' work.
      if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
      verified.set(ticket, { user, issuedAt: claims.t });
      return principal(user);
    },
  };
}

/** The `ticket` request header -> principal; no header at all is an anonymous request. */
export function eco4CloudAuth(tickets: Tickets): DialectAuth {
  return dialectAuth('eco4cloud-ticket', async (req: Request) => {
    const ticket = req.header('ticket');
    if (ticket === undefined || ticket === '') return null;
    return tickets.verify(ticket.trim());
  });
}
