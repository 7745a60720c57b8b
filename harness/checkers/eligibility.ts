import type { ScenarioSpec, ServerSpec } from '../../sim/scenario-spec.js';

const truthy = (v: string | undefined): boolean => v !== undefined && v.toLowerCase() === 'true';

/**
 * Which servers the scenario opts in to automatic recovery, judged from the scenario file itself (scenarios/README.md,
 * `recovery.instanceFilter`). Written apart from the recovery logic's own selection on purpose: `opt-in-respected`
 * and `recovery-bounded` must not trust the code they judge.
 * - `evacuable`: the server's flavor has extra spec `evacuable=true`, or its image has property `evacuable=true` or
 *   tag `evacuable`; when no flavor and no image of the scenario is marked, every server (fence_evacuate's rule);
 * - `tag:<name>`: the server has the tag; `metadata:<key>`: the server's metadata key is `true`; `all`: every server.
 * Under a design that does not honour the opt-in (`honoursOptIn`: its capabilities, e.g. `external`, where the
 * outside agent decides), every server counts.
 */
export function optedIn(spec: ScenarioSpec, honoursOptIn = true): (server: ServerSpec) => boolean {
  const filter = spec.recovery.instanceFilter;
  if (!honoursOptIn || filter.kind === 'all') return () => true;
  if (filter.kind === 'tag') return (s) => s.tags.includes(filter.tag);
  if (filter.kind === 'metadata') return (s) => truthy(s.metadata[filter.key]);
  const flavors = new Set(Object.entries(spec.flavors).filter(([, f]) => truthy(f.extraSpecs['evacuable'])).map(([name]) => name));
  const images = new Set(Object.entries(spec.images)
    .filter(([, i]) => truthy(i.properties['evacuable']) || i.tags.includes('evacuable')).map(([name]) => name));
  if (flavors.size === 0 && images.size === 0) return () => true;
  return (s) => flavors.has(s.flavor) || images.has(s.image);
}
