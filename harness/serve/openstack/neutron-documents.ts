/**
 * Neutron's JSON documents (Networking API v2.0): the version list, the v2.0 resource index, networks, subnets,
 * ports, availability zones and extensions, in the shapes `neutron/api/v2` renders (attributes from neutron-lib's
 * API definitions). `binding:*` and `provider:*` attributes are admin-only, as Neutron's default policy hides them.
 */
import type { ServiceUrls, SimClockView } from './options.js';
import { GATEWAY_IP, NETWORK_AZ, NETWORK_ID, NETWORK_NAME, SECURITY_GROUP_ID, SUBNET_CIDR, SUBNET_ID, type PortRecord } from './neutron-model.js';
import { isoZulu } from './time-format.js';

/** `GET /networking/` (no token): `RootController.index`. */
export function neutronVersions(urls: ServiceUrls): Record<string, unknown> {
  return { versions: [{ id: 'v2.0', status: 'CURRENT', links: [{ rel: 'self', href: `${urls.networkV20}/` }] }] };
}

const CORE = [['network', 'networks'], ['subnet', 'subnets'], ['port', 'ports'], ['availability_zone', 'availability_zones'], ['extension', 'extensions']] as const;

/** `GET /networking/v2.0/`: `V2Controller.index`. */
export function neutronResources(urls: ServiceUrls): Record<string, unknown> {
  return { resources: CORE.map(([name, collection]) => ({ name, collection, links: [{ rel: 'self', href: `${urls.networkV20}/${collection}` }] })) };
}

/** Who owns the network: the first project of the identity (the cloud admin's), shared with every project. */
export interface NetworkContext {
  admin: boolean;
  ownerProjectId: string;
  clock: SimClockView;
}

function stamps(ctx: NetworkContext): Record<string, unknown> {
  const t = isoZulu(ctx.clock.epochMs);
  return { created_at: t, updated_at: t, revision_number: 1, tags: [], description: '' };
}

export function networkView(ctx: NetworkContext): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: NETWORK_ID, name: NETWORK_NAME, tenant_id: ctx.ownerProjectId, project_id: ctx.ownerProjectId,
    admin_state_up: true, status: 'ACTIVE', subnets: [SUBNET_ID], shared: true, mtu: 1442, 'router:external': false,
    availability_zone_hints: [], availability_zones: [NETWORK_AZ], ipv4_address_scope: null, ipv6_address_scope: null,
    port_security_enabled: true, l2_adjacency: true, is_default: false, ...stamps(ctx),
  };
  if (ctx.admin) Object.assign(view, { 'provider:network_type': 'geneve', 'provider:physical_network': null, 'provider:segmentation_id': 1 });
  return view;
}

export function subnetView(ctx: NetworkContext): Record<string, unknown> {
  return {
    id: SUBNET_ID, name: `${NETWORK_NAME}-subnet`, tenant_id: ctx.ownerProjectId, project_id: ctx.ownerProjectId,
    network_id: NETWORK_ID, ip_version: 4, cidr: SUBNET_CIDR, gateway_ip: GATEWAY_IP, enable_dhcp: true,
    allocation_pools: [{ start: '10.0.0.2', end: '10.0.255.254' }], host_routes: [], dns_nameservers: [],
    ipv6_ra_mode: null, ipv6_address_mode: null, subnetpool_id: null, service_types: [], segment_id: null, ...stamps(ctx),
  };
}

/** A port is ACTIVE while its instance runs on a host, DOWN otherwise (Neutron's status follows the VIF). */
export function portView(p: PortRecord, ctx: NetworkContext): Record<string, unknown> {
  const i = p.instance;
  const view: Record<string, unknown> = {
    id: p.id, name: '', network_id: NETWORK_ID, tenant_id: i.projectId, project_id: i.projectId, mac_address: p.mac,
    admin_state_up: true, status: i.vmState === 'active' && i.host ? 'ACTIVE' : 'DOWN',
    device_id: i.uuid, device_owner: `compute:${i.az ?? 'nova'}`,
    fixed_ips: [{ subnet_id: SUBNET_ID, ip_address: p.ip }], allowed_address_pairs: [], extra_dhcp_opts: [],
    security_groups: [SECURITY_GROUP_ID], port_security_enabled: true, dns_name: '', dns_assignment: [], ...stamps(ctx),
  };
  if (ctx.admin) {
    Object.assign(view, {
      'binding:host_id': i.host ?? '', 'binding:vif_type': i.host ? 'ovs' : 'unbound', 'binding:vnic_type': 'normal',
      'binding:profile': {}, 'binding:vif_details': i.host ? { port_filter: true, connectivity: 'l2', bridge_name: 'br-int', datapath_type: 'system' } : {},
    });
  }
  return view;
}

/** The network agents' zone, for networks and routers (`GET /v2.0/availability_zones`). */
export function availabilityZoneViews(): Record<string, unknown>[] {
  return ['network', 'router'].map((resource) => ({ name: NETWORK_AZ, resource, state: 'available' }));
}

const EXTENSIONS: readonly [alias: string, name: string, description: string][] = [
  ['availability_zone', 'Availability Zone', 'The availability zone extension.'],
  ['network_availability_zone', 'Network Availability Zone', 'Availability zone support for network.'],
  ['binding', 'Port Binding', 'Expose port bindings of a virtual port to external application'],
  ['external-net', 'Neutron external network', 'Adds external network attribute to network resource.'],
  ['provider', 'Provider Network', 'Expose mapping of virtual networks to physical networks'],
  ['port-security', 'Port Security', 'Provides port security'],
  ['security-group', 'security-group', 'The security groups extension.'],
  ['standard-attr-description', 'standard-attr-description', 'Extension to add descriptions to standard attributes'],
  ['standard-attr-timestamp', 'Resource timestamps', 'Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.'],
  ['standard-attr-revisions', 'Resource revision numbers', 'This extension will display the revision number of neutron resources.'],
  ['filter-validation', 'Filter parameters validation', 'Provides validation on filter parameters.'],
];

export function extensionViews(): Record<string, unknown>[] {
  return EXTENSIONS.map(([alias, name, description]) => ({ alias, name, description, updated: '2015-01-01T10:00:00-00:00', links: [] }));
}
