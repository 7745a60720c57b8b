/**
 * A server as Nova's view builder renders it (`nova/api/openstack/compute/views/servers.py`), per microversion
 * and role: `OS-EXT-SRV-ATTR:*` and `host_status` only for admins; flavor as an `{id, links}` reference
 * below 2.47 and embedded from it; `locked` ≥ 2.9, `description` ≥ 2.19, `tags` ≥ 2.26, `locked_reason` ≥ 2.73.
 */
import { createHash } from 'node:crypto';
import type { FlavorRecord, ImageRecord, InstanceRecord, ServiceRecord } from '../../../sim/nova/records.js';
import { atLeast, type Microversion } from './microversion.js';
import { serverAddresses, type PortRecord } from './neutron-model.js';
import type { ServiceUrls, SimClockView } from './options.js';
import { epochOf, isoZulu, novaDbTime } from './time-format.js';

/** Everything the view needs beyond the instance, resolved once per request. */
export interface ServerViewContext {
  v: Microversion;
  admin: boolean;
  urls: ServiceUrls;
  clock: SimClockView;
  flavors: readonly FlavorRecord[];
  images: readonly ImageRecord[];
  /** nova-compute services by host. */
  computeServices: ReadonlyMap<string, ServiceRecord>;
  /** Each instance's Neutron port, by instance uuid (the source of `addresses`). */
  ports: ReadonlyMap<string, PortRecord>;
}

/** Nova's API status from vm_state and task_state (`nova/api/openstack/common.py` `_STATE_MAP`). */
export function serverStatus(i: InstanceRecord): string {
  const rebuilding = i.taskState === 'rebuilding' || i.taskState === 'rebuild_spawning';
  if (rebuilding && i.vmState !== 'building' && i.vmState !== 'deleted') return 'REBUILD';
  const map: Record<InstanceRecord['vmState'], string> = {
    active: 'ACTIVE',
    building: 'BUILD',
    stopped: 'SHUTOFF',
    error: 'ERROR',
    paused: 'PAUSED',
    deleted: 'DELETED',
  };
  return map[i.vmState];
}

/** Nova's `host_status` (≥ 2.16, admin): DOWN when forced down, MAINTENANCE when disabled, UP when alive. */
function hostStatus(i: InstanceRecord, services: ReadonlyMap<string, ServiceRecord>): string {
  if (!i.host) return '';
  const s = services.get(i.host);
  if (!s) return 'UNKNOWN';
  if (s.forcedDown) return 'DOWN';
  if (s.status === 'disabled') return 'MAINTENANCE';
  return s.state === 'up' ? 'UP' : 'UNKNOWN';
}

/** Look a record up by id, then by name (the world may reference flavors and images either way). */
export function byIdOrName<T extends { id: string; name: string }>(items: readonly T[], ref: string): T | undefined {
  return items.find((x) => x.id === ref) ?? items.find((x) => x.name === ref);
}

function flavorField(i: InstanceRecord, ctx: ServerViewContext): Record<string, unknown> {
  const f = byIdOrName(ctx.flavors, i.flavor);
  if (!atLeast(ctx.v, 47)) {
    const id = f?.id ?? i.flavor;
    return { id, links: [{ rel: 'bookmark', href: `${ctx.urls.compute}/flavors/${id}` }] };
  }
  return {
    vcpus: f?.vcpus ?? 0,
    ram: f?.ramMb ?? 0,
    disk: f?.diskGb ?? 0,
    ephemeral: 0,
    swap: 0,
    original_name: f?.name ?? i.flavor,
    extra_specs: { ...(f?.extraSpecs ?? {}) },
  };
}

function imageField(i: InstanceRecord, ctx: ServerViewContext): unknown {
  if (i.storage === 'volume' || !i.image) return '';
  const id = byIdOrName(ctx.images, i.image)?.id ?? i.image;
  return { id, links: [{ rel: 'bookmark', href: `${ctx.urls.compute}/images/${id}` }] };
}

function adminAttributes(i: InstanceRecord, ctx: ServerViewContext): Record<string, unknown> {
  const attrs: Record<string, unknown> = {
    'OS-EXT-SRV-ATTR:host': i.host,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': i.host,
    'OS-EXT-SRV-ATTR:instance_name': `instance-${i.uuid.replace(/-/g, '').slice(0, 8)}`,
  };
  if (atLeast(ctx.v, 3)) {
    Object.assign(attrs, {
      'OS-EXT-SRV-ATTR:reservation_id': `r-${i.uuid.slice(0, 8)}`,
      'OS-EXT-SRV-ATTR:launch_index': 0,
      'OS-EXT-SRV-ATTR:hostname': i.name,
      'OS-EXT-SRV-ATTR:kernel_id': '',
      'OS-EXT-SRV-ATTR:ramdisk_id': '',
      'OS-EXT-SRV-ATTR:root_device_name': '/dev/vda',
      // Nova keeps user data base64-encoded, as the client sent it, and shows it so.
      'OS-EXT-SRV-ATTR:user_data': i.userData !== undefined ? Buffer.from(i.userData, 'utf8').toString('base64') : null,
    });
  }
  if (atLeast(ctx.v, 16)) attrs['host_status'] = hostStatus(i, ctx.computeServices);
  return attrs;
}

function versionedFields(i: InstanceRecord, ctx: ServerViewContext, detail: 'list' | 'show'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (atLeast(ctx.v, 9)) out['locked'] = false;
  if (atLeast(ctx.v, 19)) out['description'] = null;
  if (atLeast(ctx.v, 26)) out['tags'] = [...i.tags];
  if (atLeast(ctx.v, 63)) out['trusted_image_certificates'] = null;
  if (atLeast(ctx.v, 71) && detail === 'show') out['server_groups'] = i.serverGroup ? [i.serverGroup] : [];
  if (atLeast(ctx.v, 73)) out['locked_reason'] = null;
  return out;
}

function hostId(i: InstanceRecord): string {
  return i.host ? createHash('sha224').update(`${i.projectId}${i.host}`).digest('hex') : '';
}

/** The full server object of `GET /servers/detail` and `GET /servers/{id}`. */
export function serverDetail(i: InstanceRecord, ctx: ServerViewContext, detail: 'list' | 'show'): Record<string, unknown> {
  return {
    id: i.uuid,
    name: i.name,
    status: serverStatus(i),
    tenant_id: i.projectId,
    user_id: i.userId,
    created: isoZulu(epochOf(ctx.clock, i.createdAtMs)),
    updated: isoZulu(epochOf(ctx.clock, i.updatedAtMs)),
    hostId: hostId(i),
    metadata: { ...i.metadata },
    addresses: serverAddresses(ctx.ports.get(i.uuid)),
    image: imageField(i, ctx),
    flavor: flavorField(i, ctx),
    links: serverLinks(i, ctx.urls),
    key_name: null,
    config_drive: '',
    accessIPv4: '',
    accessIPv6: '',
    progress: 0,
    ...(ctx.admin ? adminAttributes(i, ctx) : {}),
    'OS-EXT-AZ:availability_zone': i.az ?? '',
    'OS-EXT-STS:vm_state': i.vmState,
    'OS-EXT-STS:task_state': i.taskState,
    'OS-EXT-STS:power_state': i.powerState,
    'OS-SRV-USG:launched_at': novaDbTime(epochOf(ctx.clock, i.createdAtMs)),
    'OS-SRV-USG:terminated_at': null,
    'OS-DCF:diskConfig': 'AUTO',
    'os-extended-volumes:volumes_attached': [],
    security_groups: [{ name: 'default' }],
    ...versionedFields(i, ctx, detail),
  };
}

/** `self` and `bookmark` links of a server. */
export function serverLinks(i: InstanceRecord, urls: ServiceUrls): { rel: string; href: string }[] {
  return [
    { rel: 'self', href: `${urls.computeV21}/servers/${i.uuid}` },
    { rel: 'bookmark', href: `${urls.compute}/servers/${i.uuid}` },
  ];
}
