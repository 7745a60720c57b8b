/**
 * The blast radius of a schedule, decided before anything happens: at every moment a fault starts, how many hosts
 * are down at once (every host fault counts: each one can make instance HA evacuate the host), and what fraction
 * of each availability zone's inventory hosts that is.
 */
import { IhasimError, type ErrorDetail } from '../errors.js';
import type { Campaign } from './campaign.js';
import type { CampaignLocator } from './campaign-load.js';
import { formatDuration } from '../scenario/duration.js';

interface Interval { host: string; from: number; to: number; index: number }

/** Intervals during which each host fault is active; a fault without duration lasts to the end. */
function intervals(c: Campaign): Interval[] {
  return c.faults.filter((f) => f.host !== undefined)
    .map((f) => ({ host: f.host!, from: f.atMs, to: f.durationMs === null ? Infinity : f.atMs + f.durationMs, index: f.index }));
}

/** Hosts down at `t` (half-open intervals: a host undone at t is back at t). */
function downAt(all: readonly Interval[], t: number): Set<string> {
  return new Set(all.filter((i) => i.from <= t && t < i.to).map((i) => i.host));
}

/** Problems of the schedule against maxHostsDown and maxAzFraction, each at the first fault that breaks it. */
export function blastRadiusProblems(c: Campaign, locate: CampaignLocator): ErrorDetail[] {
  const all = intervals(c);
  const azSize = new Map<string, number>();
  for (const h of c.hosts.values()) if (h.az) azSize.set(h.az, (azSize.get(h.az) ?? 0) + 1);
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  const add = (rule: string, i: Interval, message: string) => {
    if (seen.has(rule)) return;
    seen.add(rule);
    problems.push({ ...locate(['faults', i.index]), path: `faults[${i.index}]`, message });
  };
  for (const start of [...all].sort((a, b) => a.from - b.from)) {
    const down = downAt(all, start.from);
    if (down.size > c.limits.maxHostsDown) {
      add('hosts', start, `at ${formatDuration(start.from)} ${down.size} hosts would be down at once (${[...down].join(', ')}), more than limits.maxHostsDown ${c.limits.maxHostsDown}`);
    }
    for (const [az, size] of azSize) {
      const inAz = [...down].filter((h) => c.hosts.get(h)!.az === az);
      if (inAz.length / size > c.limits.maxAzFraction) {
        add(`az:${az}`, start, `at ${formatDuration(start.from)} ${inAz.length} of ${size} hosts of az ${az} would be down (${inAz.join(', ')}), more than limits.maxAzFraction ${c.limits.maxAzFraction}`);
      }
    }
  }
  return problems;
}

/** @throws IhasimError IHASIM_INJECT_REFUSED with every problem, before any action. */
export function checkBlastRadius(c: Campaign, locate: CampaignLocator): void {
  const problems = blastRadiusProblems(c, locate);
  if (problems.length) throw new IhasimError('IHASIM_INJECT_REFUSED', `${c.file ?? 'the campaign'} is refused: its schedule exceeds the blast radius (${problems.length} problem${problems.length === 1 ? '' : 's'})`, problems);
}
