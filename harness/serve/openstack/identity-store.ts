/**
 * Keystone's state: users, projects, role assignments, and the tokens issued. Tokens are opaque random strings
 * that expire `ttlMs` after issue on the store's clock: the simulated clock by default (so tests can expire them),
 * the wall clock under `ihasim serve` (see `OpenStackAppOptions.wallClock`). The clock is read at every check,
 * so expiry never waits for anything else to advance.
 */
import { randomBytes } from 'node:crypto';
import type { IdentityConfig, IdentityProject, IdentityUser } from './options.js';

/** What a token stands for. Times are wall-clock epoch ms. */
export interface TokenInfo {
  id: string;
  user: IdentityUser;
  project: IdentityProject;
  /** Effective role names, implied roles included (admin ⇒ member ⇒ reader). */
  roles: string[];
  issuedAtMs: number;
  expiresAtMs: number;
  auditId: string;
}

/** How a user names itself in a password auth request. */
export type UserRef = { id: string } | { name: string; domain: DomainRef };
export type ProjectRef = { id: string } | { name: string; domain: DomainRef };
export type DomainRef = { id: string } | { name: string };

const IMPLIED_ROLES: Record<string, string[]> = {
  admin: ['admin', 'member', 'reader'],
  member: ['member', 'reader'],
  reader: ['reader'],
};

/** Role names with the roles they imply, deduplicated, in a stable order. */
export function effectiveRoles(assigned: readonly string[]): string[] {
  const out = new Set<string>();
  for (const role of assigned) for (const r of IMPLIED_ROLES[role] ?? [role]) out.add(r);
  return [...out];
}

export class IdentityStore {
  private readonly tokens = new Map<string, TokenInfo>();

  constructor(
    readonly config: IdentityConfig,
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  /** Check a password and a scope; returns a new token, or undefined when Keystone would answer 401. */
  authenticate(userRef: UserRef, password: string, scope: ProjectRef | undefined): TokenInfo | undefined {
    const user = this.findUser(userRef);
    if (!user || user.password !== password) return undefined;
    const project = scope ? this.findProject(scope) : this.defaultProject(user);
    if (!project) return undefined;
    const assigned = user.roles[project.name] ?? [];
    if (assigned.length === 0) return undefined;
    return this.issue(user, project, effectiveRoles(assigned));
  }

  /** The token's info if it exists and has not expired. */
  validate(tokenId: string | undefined): TokenInfo | undefined {
    if (!tokenId) return undefined;
    const info = this.tokens.get(tokenId);
    if (!info) return undefined;
    if (this.now() >= info.expiresAtMs) {
      this.tokens.delete(tokenId);
      return undefined;
    }
    return info;
  }

  /** Revoke a token; false if it was not valid. */
  revoke(tokenId: string): boolean {
    return this.tokens.delete(tokenId);
  }

  private issue(user: IdentityUser, project: IdentityProject, roles: string[]): TokenInfo {
    const now = this.now();
    this.pruneExpired(now);
    const info: TokenInfo = {
      id: `gAAAAA${randomBytes(24).toString('hex')}`,
      user,
      project,
      roles,
      issuedAtMs: now,
      expiresAtMs: now + this.ttlMs,
      auditId: randomBytes(16).toString('base64url').slice(0, 22),
    };
    this.tokens.set(info.id, info);
    return info;
  }

  private pruneExpired(now: number): void {
    for (const [id, info] of this.tokens) if (now >= info.expiresAtMs) this.tokens.delete(id);
  }

  private domainMatches(ref: DomainRef): boolean {
    const d = this.config.domain;
    return 'id' in ref ? ref.id === d.id : ref.name === d.name;
  }

  private findUser(ref: UserRef): IdentityUser | undefined {
    if ('id' in ref) return this.config.users.find((u) => u.id === ref.id);
    if (!this.domainMatches(ref.domain)) return undefined;
    return this.config.users.find((u) => u.name === ref.name);
  }

  private findProject(ref: ProjectRef): IdentityProject | undefined {
    if ('id' in ref) return this.config.projects.find((p) => p.id === ref.id);
    if (!this.domainMatches(ref.domain)) return undefined;
    return this.config.projects.find((p) => p.name === ref.name);
  }

  /** Unscoped requests get the user's first project (lenient: real Keystone returns an unscoped token). */
  private defaultProject(user: IdentityUser): IdentityProject | undefined {
    const name = Object.keys(user.roles).find((n) => (user.roles[n] ?? []).length > 0);
    return this.config.projects.find((p) => p.name === name);
  }
}
