/**
 * Guards of the control API that keep a hostile or broken client from hurting the served world:
 * a Host-header check against DNS rebinding, and a nesting limit on JSON bodies.
 */
import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

/** Deeper JSON than this is refused: no fault or heal body nests beyond 4 levels (groups: [[name]]). */
export const MAX_BODY_DEPTH = 32;

/**
 * Whether `value` nests deeper than `max` arrays/objects. Iterative, so that a 100 000-level body cannot
 * overflow the stack here (the recursive validators it would otherwise reach do).
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 0 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push({ v: child, depth: depth + 1 });
  }
  return false;
}

/** Is `host` a loopback address or name (127.0.0.0/8, ::1, localhost)? */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1' || h === '0:0:0:0:0:0:0:1' || h.startsWith('::ffff:127.');
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Host names a request to the server bound at `boundHost` may carry in its Host header: the bound address,
 * the loopback names, and, for a wildcard bind, every address of this machine. A web page that made a
 * browser resolve its own name to 127.0.0.1 (DNS rebinding) sends its own name, which is not in the set.
 */
export function allowedHostNames(boundHost: string): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]', boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost]);
  if (WILDCARDS.has(boundHost)) {
    for (const list of Object.values(networkInterfaces())) {
      for (const a of list ?? []) names.add(a.family === 'IPv6' ? `[${a.address}]` : a.address);
    }
  }
  return new Set([...names].map((n) => n.toLowerCase()));
}

/** Does the Host header name this server: an allowed name, and the port the connection came in on? */
export function hostHeaderAllowed(header: string | undefined, allowed: ReadonlySet<string>, localPort: number | undefined): boolean {
  if (!header) return false;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header.trim().toLowerCase());
  if (!m) return false;
  const port = m[2] === undefined ? 80 : Number(m[2]);
  return allowed.has(m[1]!) && (localPort === undefined || port === localPort);
}
