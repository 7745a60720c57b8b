/**
 * Redfish sessions (`POST /redfish/v1/SessionService/Sessions`): an `X-Auth-Token` stands for the credentials it
 * was created with. A session grants exactly what those credentials grant, checked against the nodes' current
 * credentials on every request, so changing a node's credentials locks its old sessions out of it.
 */
import { randomBytes } from 'node:crypto';
import type { BmcCredentials } from '../backend.js';

/** Most sessions kept at once; creating one more evicts the oldest (bounded memory, no 5xx for a busy client). */
export const MAX_SESSIONS = 64;

export interface RedfishSession {
  /** Session resource id, `/redfish/v1/SessionService/Sessions/<id>`. */
  id: string;
  /** The opaque `X-Auth-Token` value. */
  token: string;
  credentials: BmcCredentials;
}

/** In-memory session table of one Redfish service. */
export class SessionStore {
  private readonly byId = new Map<string, RedfishSession>();
  private nextId = 1;

  constructor(private readonly maxSessions = MAX_SESSIONS) {}

  /** Creates a session for credentials the caller has already checked. */
  create(credentials: BmcCredentials): RedfishSession {
    if (this.byId.size >= this.maxSessions) {
      const oldest = this.byId.keys().next().value;
      if (oldest !== undefined) this.byId.delete(oldest);
    }
    const session: RedfishSession = {
      id: String(this.nextId++),
      token: randomBytes(24).toString('hex'),
      credentials: { ...credentials },
    };
    this.byId.set(session.id, session);
    return session;
  }

  /** The session an `X-Auth-Token` names, if any. */
  findByToken(token: string): RedfishSession | undefined {
    for (const session of this.byId.values()) {
      if (session.token === token) return session;
    }
    return undefined;
  }

  /** The session with this id if it belongs to these credentials (others' sessions look absent). */
  findOwned(id: string, credentials: BmcCredentials): RedfishSession | undefined {
    const session = this.byId.get(id);
    return session && sameCredentials(session.credentials, credentials) ? session : undefined;
  }

  /** Sessions created with these credentials, oldest first. */
  listOwned(credentials: BmcCredentials): RedfishSession[] {
    return [...this.byId.values()].filter((s) => sameCredentials(s.credentials, credentials));
  }

  delete(id: string): boolean {
    return this.byId.delete(id);
  }

  get size(): number {
    return this.byId.size;
  }
}

/** Whether two credential pairs are identical (user name and password, case-sensitive). */
export function sameCredentials(a: BmcCredentials, b: BmcCredentials): boolean {
  return a.username === b.username && a.password === b.password;
}
