import type { FlavorRecord, ImageRecord, InstanceRecord } from '../nova/records.js';
import type { InstanceFilter } from '../scenario-spec.js';

const truthy = (v: string | undefined): boolean => v !== undefined && v.toLowerCase() === 'true';

/**
 * Which instances a recovery pass evacuates (fence_evacuate's selection and the per-instance opt-ins):
 * - evacuable: flavors with extra spec `evacuable=true` or images with property/tag `evacuable`; if nothing at all
 *   is tagged, every instance (fence_evacuate's rule);
 * - tag:<name>: instances carrying the tag (e.g. `automatic-recovery`);
 * - metadata:<key>: instances whose metadata key is `true` (e.g. `HA_Enabled`);
 * - all.
 */
export function selectInstances(
  filter: InstanceFilter,
  servers: readonly InstanceRecord[],
  flavors: readonly FlavorRecord[],
  images: readonly ImageRecord[],
): InstanceRecord[] {
  return servers.filter(instancePredicate(filter, flavors, images));
}

/** The same selection as a per-instance test (the catalog is read once; each instance then costs O(1)). */
export function instancePredicate(
  filter: InstanceFilter,
  flavors: readonly FlavorRecord[],
  images: readonly ImageRecord[],
): (s: InstanceRecord) => boolean {
  switch (filter.kind) {
    case 'all':
      return () => true;
    case 'tag':
      return (s) => s.tags.includes(filter.tag);
    case 'metadata':
      return (s) => truthy(s.metadata[filter.key]);
    case 'evacuable':
      return evacuable(flavors, images);
  }
}

function evacuable(flavors: readonly FlavorRecord[], images: readonly ImageRecord[]): (s: InstanceRecord) => boolean {
  const taggedFlavors = new Set(flavors.filter((f) => truthy(f.extraSpecs['evacuable'])).map((f) => f.id));
  const taggedImages = new Set(
    images.filter((i) => truthy(i.properties['evacuable']) || i.tags.includes('evacuable')).map((i) => i.name),
  );
  if (taggedFlavors.size === 0 && taggedImages.size === 0) return () => true;
  return (s) => taggedFlavors.has(s.flavor) || taggedImages.has(s.image);
}
