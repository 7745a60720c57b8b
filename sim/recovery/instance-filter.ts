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
  switch (filter.kind) {
    case 'all':
      return [...servers];
    case 'tag':
      return servers.filter((s) => s.tags.includes(filter.tag));
    case 'metadata':
      return servers.filter((s) => truthy(s.metadata[filter.key]));
    case 'evacuable':
      return evacuable(servers, flavors, images);
  }
}

function evacuable(servers: readonly InstanceRecord[], flavors: readonly FlavorRecord[], images: readonly ImageRecord[]): InstanceRecord[] {
  const taggedFlavors = new Set(flavors.filter((f) => truthy(f.extraSpecs['evacuable'])).map((f) => f.id));
  const taggedImages = new Set(
    images.filter((i) => truthy(i.properties['evacuable']) || i.tags.includes('evacuable')).map((i) => i.name),
  );
  if (taggedFlavors.size === 0 && taggedImages.size === 0) return [...servers];
  return servers.filter((s) => taggedFlavors.has(s.flavor) || taggedImages.has(s.image));
}
