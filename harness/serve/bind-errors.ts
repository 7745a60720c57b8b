/**
 * Bind failures of `ihasim serve` are the user's to fix (a busy port, a host that is not this machine's,
 * a privileged port): they become one-line `IHASIM_USAGE` errors (exit 3) naming the flag to change,
 * instead of an internal error with a stack trace.
 */
import { IhasimError } from '../errors.js';

/** Which flag chose the port that failed, and the port it asked for (0: an ephemeral one). */
export interface BindSite {
  flag: '--port' | '--redfish-port' | '--ipmi-base-port' | '--ssh-port-base';
  port: number;
}

/** The errno codes of `listen`/`bind`/address lookup that a flag can fix. */
const USER_FIXABLE = new Set(['EADDRINUSE', 'EADDRNOTAVAIL', 'EACCES', 'EPERM', 'ENOTFOUND', 'EAI_AGAIN', 'EAFNOSUPPORT', 'EINVAL']);

/**
 * Runs `start`; a bind error it throws becomes an `IHASIM_USAGE` error that names the port, the flag and the host.
 * Any other error passes through unchanged.
 */
export async function withBindErrors<T>(site: BindSite, host: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    throw bindError(err, site, host) ?? err;
  }
}

/** The usage error for a bind failure, or undefined when `err` is not one. */
export function bindError(err: unknown, site: BindSite, host: string): IhasimError | undefined {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (typeof e?.code !== 'string' || !USER_FIXABLE.has(e.code)) return undefined;
  // Node reports the port that failed (for --ipmi-base-port, base + the compute's index).
  const port = typeof e.port === 'number' && e.port > 0 ? e.port : site.port;
  const where = port > 0 ? `port ${port} (${site.flag}) on ${host}` : `a free port (${site.flag} 0) on ${host}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return new IhasimError('IHASIM_USAGE', `${where} is already in use; choose another ${site.flag} or stop what holds it`);
    case 'EACCES':
    case 'EPERM':
      return new IhasimError('IHASIM_USAGE', `${where}: permission denied (ports below 1024 need privileges); choose another ${site.flag}`);
    case 'EADDRNOTAVAIL':
      return new IhasimError('IHASIM_USAGE', `--host ${host} is not an address of this machine (EADDRNOTAVAIL binding ${where}); use 127.0.0.1 or one of its own addresses`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new IhasimError('IHASIM_USAGE', `--host ${host} cannot be resolved (${e.code}); give an IP address such as 127.0.0.1`);
    default:
      return new IhasimError('IHASIM_USAGE', `--host ${host} cannot be bound (${e.code} binding ${where}): ${e.message}`);
  }
}
