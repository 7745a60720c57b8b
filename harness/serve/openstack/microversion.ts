/**
 * Compute API microversions (`nova/api/openstack/api_version_request.py`, `wsgi.py`): read from
 * `OpenStack-API-Version: compute X` (preferred) or `X-OpenStack-Nova-API-Version: X`; absent → 2.1;
 * `latest` → the maximum; malformed → 400; outside [min, max] → 406.
 */
import { ApiFault } from './faults.js';

export interface Microversion {
  major: number;
  minor: number;
}

/** The range this mock implements: 2.1 to 2.95 (Nova 2023.1 Antelope). */
export const MIN_MICROVERSION: Microversion = Object.freeze({ major: 2, minor: 1 });
export const MAX_MICROVERSION: Microversion = Object.freeze({ major: 2, minor: 95 });

const VERSION_RE = /^([1-9]\d*)\.([1-9]\d*|0)$/;

export function formatMicroversion(v: Microversion): string {
  return `${v.major}.${v.minor}`;
}

/** True when `v` ≥ `major.minor`. */
export function atLeast(v: Microversion, minor: number, major = 2): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

function compare(a: Microversion, b: Microversion): number {
  return a.major - b.major || a.minor - b.minor;
}

/** The compute entry of an `OpenStack-API-Version` header (`compute 2.60, image 2.5`), if any. */
function computeEntry(header: string): string | undefined {
  for (const part of header.split(',')) {
    const [service, version, ...rest] = part.trim().split(/\s+/);
    if (service?.toLowerCase() === 'compute' && version !== undefined && rest.length === 0) return version;
  }
  return undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** The requested version string, or undefined when the request names none. */
export function requestedVersion(headers: Record<string, string | string[] | undefined>): string | undefined {
  const generic = headerValue(headers['openstack-api-version']);
  const fromGeneric = generic === undefined ? undefined : computeEntry(generic);
  return fromGeneric ?? headerValue(headers['x-openstack-nova-api-version'])?.trim();
}

/** Negotiate the request's microversion; throws 400 (malformed) or 406 (unsupported) `ApiFault`s. */
export function negotiateMicroversion(headers: Record<string, string | string[] | undefined>): Microversion {
  const requested = requestedVersion(headers);
  if (requested === undefined) return MIN_MICROVERSION;
  if (requested.toLowerCase() === 'latest') return MAX_MICROVERSION;
  const match = VERSION_RE.exec(requested);
  if (!match) {
    throw new ApiFault(400, `API Version String ${requested.slice(0, 64)} is of invalid format. Must be of format MajorNum.MinorNum.`);
  }
  const version = { major: Number(match[1]), minor: Number(match[2]) };
  if (compare(version, MIN_MICROVERSION) < 0 || compare(version, MAX_MICROVERSION) > 0) {
    throw new ApiFault(
      406,
      `Version ${requested} is not supported by the API. Minimum is ${formatMicroversion(MIN_MICROVERSION)} and maximum is ${formatMicroversion(MAX_MICROVERSION)}.`,
    );
  }
  return version;
}
