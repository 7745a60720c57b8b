import { REASON_NAMES } from '../../reports/reasons.js';
import { MAX_SEED, SEED_RANGE_TEXT } from '../run/seed-range.js';
import { DEFAULT_CHECK_KINDS } from './check-kinds.js';
import { FAULT_KINDS, NETWORKS } from '../../sim/scenario-spec.js';
import { configSchema } from './schema-config.js';
import { DEFAULT_DESIGN, DESIGNS, designNames } from '../../sim/recovery/designs/registry.js';
import {
  EXPECTED_KEYWORD, SHARED_DEFS, integer, object, ref, stringList, text, type JsonSchema,
} from './schema-helpers.js';

/** Keys of user-named maps (flavors, images, groups, aggregates). */
const MAP_NAMES = { pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$', [EXPECTED_KEYWORD]: 'a name of letters, digits, `.`, `_`, `:`, `-`' };

const namedMap = (description: string, entry: JsonSchema): JsonSchema =>
  ({ type: 'object', description, propertyNames: MAP_NAMES, additionalProperties: entry, default: {} });

const COMPUTE = object('One compute node, or several with a brace range in `name`.', {
  name: ref('name', 'Host name; a brace range makes several hosts: `compute-{01..16}`.'),
  az: ref('name', 'Availability zone. A brace range spreads the hosts over the zones in contiguous blocks.', 'nova'),
  rack: ref('name', 'Rack (a power and switch domain). A brace range spreads the hosts over the racks.', 'r1'),
  vcpus: integer('Physical CPUs the scheduler sees (before the allocation ratio).', 1, 32),
  ramMb: integer('RAM in MiB.', 1, 131072),
  diskGb: integer('Local disk in GiB.', 1, 2000),
  bmc: object('The BMC that fences this host.', {
    kind: { type: 'string', enum: ['ipmi', 'redfish'], description: 'Fence device kind.', default: 'ipmi' },
    username: text('BMC user name.', 'admin'),
    password: text('BMC password.', 'password'),
  }, { default: {} }),
}, { required: ['name'] });

const TOPOLOGY = object('The cloud: controllers, compute nodes, host aggregates.', {
  controllers: { ...integer('Number of controllers, named `controller-1..N` (Pacemaker cluster members).', 1, 3), maximum: 64 },
  computes: { type: 'array', items: COMPUTE, description: 'Compute nodes (Pacemaker remote nodes).', default: [] },
  aggregates: namedMap('Host aggregates by name.', object('One host aggregate.', {
    hosts: stringList('Member hosts: names, globs (`compute-*`) or brace ranges.'),
    metadata: ref('stringMap', 'Aggregate metadata.', {}),
  })),
}, { default: {} });

const FLAVOR = object('One flavor.', {
  vcpus: integer('vCPUs.', 1, 1),
  ramMb: integer('RAM in MiB.', 1, 2048),
  diskGb: integer('Root disk in GiB.', 0, 20),
  extraSpecs: ref('stringMap', 'Extra specs, e.g. `hw:watchdog_action: reset`, `evacuable: "true"`.', {}),
});

const IMAGE = object('One Glance image.', {
  properties: ref('stringMap', 'Image properties, e.g. `hw_watchdog_action: poweroff`.', {}),
  tags: stringList('Image tags (e.g. `evacuable`).'),
  sizeMb: integer('Size in MiB (download time for local-disk rebuilds).', 0, 512),
});

const SERVER = object('One server, or several with a brace range in `name`.', {
  name: ref('name', 'Server name; a brace range makes several servers: `web-{1..40}`.'),
  flavor: ref('name', 'Flavor name (a key of `flavors`). A brace range spreads the servers over flavors.'),
  image: ref('name', 'Image name (a key of `images`). A brace range spreads the servers over images.'),
  storage: { type: 'string', enum: ['shared', 'volume', 'local'], default: 'shared',
    description: 'Where the disk lives: shared storage, a Cinder volume, or the local disk (lost on rebuild).' },
  tags: stringList('Server tags (e.g. `automatic-recovery`).'),
  metadata: ref('stringMap', 'Server metadata.', {}),
  userData: { type: 'string', maxLength: 49_152, default: '',
    description: 'User data, as `openstack server create --user-data` takes it (served base64-encoded as `OS-EXT-SRV-ATTR:user_data`). An `IHASIM_COLLECTOR=<url>` line makes the instance a served canary.' },
  host: ref('name', 'Pin to this host at start (skips the scheduler). A brace range spreads the servers.'),
  az: ref('name', 'Requested availability zone (evacuations stay in it).'),
  group: ref('name', 'Server group (a key of `serverGroups`).'),
}, { required: ['name', 'flavor', 'image'] });

const SERVER_GROUP = object('One server group.', {
  policy: { type: 'string', enum: ['anti-affinity', 'affinity', 'soft-anti-affinity', 'soft-affinity'],
    default: 'anti-affinity', description: 'Scheduling policy of the group.' },
});

/** Keys of `recovery:` every design shares (read by harness/scenario/recovery-expect.ts `readRecovery`). */
const RECOVERY_COMMON: Record<string, JsonSchema> = {
  forceDown: { type: 'boolean', default: true, description: 'fence_compute uses the force-down API (else it waits for service_down_time).' },
  instanceFilter: { type: 'string', pattern: '^(evacuable|all|tag:.+|metadata:.+)$', default: 'evacuable',
    description: 'Which instances are evacuated: `evacuable` (flavor/image opt-in), `all`, `tag:<name>`, `metadata:<key>`.',
    [EXPECTED_KEYWORD]: '`evacuable`, `all`, `tag:<name>` or `metadata:<key>`' },
  sharedStorage: { type: 'boolean', default: true, description: 'Evacuate with on_shared_storage semantics.' },
  evacuateLocal: { type: 'boolean', default: true, description: 'Evacuate instances with a local disk (rebuilt from image: data lost).' },
};

/**
 * The `recovery:` block, generated from the design registry (sim/recovery/designs/registry.ts): `policy` names a
 * design; the common keys; and, when `policy` names it, each design's own keys (its `configSchema`, defaults and
 * bounds included). A key no design of that name knows is an unknown key (`unevaluatedProperties`).
 */
export function recoverySchema(): JsonSchema {
  const withKeys = DESIGNS.filter((d) => Object.keys(d.configSchema).length > 0);
  return {
    type: 'object',
    description: 'The recovery design under test.',
    properties: {
      policy: { type: 'string', enum: designNames(), default: DEFAULT_DESIGN,
        description: DESIGNS.map((d) => `${d.name}: ${d.summary}`).join(' ') },
      ...RECOVERY_COMMON,
    },
    ...(withKeys.length > 0 ? {
      allOf: withKeys.map((d) => ({
        if: { properties: { policy: { const: d.name } }, required: ['policy'] },
        then: { properties: d.configSchema },
      })),
    } : {}),
    unevaluatedProperties: false,
    default: {},
  };
}

/** The designs that have `key` among their own keys. */
export function designsWithKey(key: string): string[] {
  return DESIGNS.filter((d) => key in d.configSchema).map((d) => d.name);
}

/** The keys `recovery:` allows under `policy` (for messages about unknown keys). */
export function recoveryKeys(policy: unknown): string[] {
  const design = DESIGNS.find((d) => d.name === policy);
  return ['policy', ...Object.keys(RECOVERY_COMMON), ...Object.keys(design?.configSchema ?? {})];
}

const TARGET_SET = {
  type: ['string', 'array', 'object'], items: { type: 'string' }, minItems: 1,
  properties: { rack: text('A rack.'), az: text('An availability zone.'), host: text('Guest faults: the servers running on this compute (a name or glob).') },
  additionalProperties: false, minProperties: 1, maxProperties: 1,
  description: 'What to pick from: a name, a glob, a list of names, `{rack: r1}`, `{az: az1}` or, for guest faults, `{host: compute-3}`.',
  [EXPECTED_KEYWORD]: 'a name, a glob like `compute-*`, a list of names, `{rack: r1}` or `{az: az1}`',
};

const GROUP_MEMBER = {
  type: ['string', 'object'],
  properties: { rack: text('Every compute of this rack.'), az: text('Every compute of this availability zone.') },
  additionalProperties: false, minProperties: 1, maxProperties: 1,
  [EXPECTED_KEYWORD]: 'a node name, a glob like `compute-*`, `{rack: r1}` or `{az: az1}`',
};

const TARGET = {
  type: ['string', 'array', 'object'], items: { type: 'string' }, minItems: 1,
  properties: {
    rack: text('Every host of this rack (guest faults: every server running there).'),
    az: text('Every host of this availability zone (guest faults: every server running there).'),
    host: text('Guest faults: every server running on this compute (a name or glob), at the fault\'s time.'),
    count: integer('Pick this many from `from`, chosen by the seed.', 1),
    from: { ...TARGET_SET },
  },
  additionalProperties: false, minProperties: 1, dependentRequired: { count: ['from'] },
  description: 'What the fault hits: a name, a glob (`compute-*`), a list of names, `{rack: r1}`, `{az: az3}`, ' +
    'or `{count: 2, from: {rack: r1}}` (chosen by the seed).',
  [EXPECTED_KEYWORD]: 'a name, a glob like `compute-*`, a list of names, `{rack: r1}`, `{az: az1}` or `{count: 2, from: …}`',
};

const FAULT = object('One fault, injected at `at`.', {
  at: ref('duration', 'When the fault happens (simulated time from the start).'),
  kind: { type: 'string', enum: [...FAULT_KINDS], description: 'Fault kind (scenarios/README.md "Faults").' },
  target: TARGET,
  network: { type: 'string', enum: [...NETWORKS],
    description: 'Network of nic-down/nic-up and network-partition; for network-heal, absent heals every network.' },
  groups: { type: 'array', minItems: 2, items: { type: 'array', minItems: 1, items: GROUP_MEMBER },
    description: 'network-partition: groups of node names or globs (computes and controllers), or `{rack: r1}` / `{az: az1}` (their computes).' },
  oneWay: { type: 'boolean', default: false, description: 'network-partition: only traffic from the first group to the others is cut.' },
  duration: ref('duration', 'The fault undoes itself after this long (absent: it lasts until undone).'),
  latency: ref('dist', 'bmc-slow: added latency of each BMC action and status read; nova-api-slow: of each Nova call of the recovery agent; attrd-delay: of each attribute update.'),
  rate: { type: 'number', exclusiveMinimum: 0, maximum: 1,
    description: 'nova-api-errors: share of the agent\'s Nova calls answered 500/503; rebuild-rpc-lost, attrd-update-lost with `duration`: share of messages lost (default 1).' },
  ipmi: { type: 'boolean', description: 'tor-switch-failure: the BMCs hang off this switch too, so the `ipmi` network is cut (default true; false: a separate management switch).' },
  bmcSharesPower: { type: 'boolean', default: false, description: 'host-power-loss: the BMC is powered from the host\'s feed and dies with it (fencing is impossible until power returns).' },
  recurring: { type: 'boolean', default: false, description: 'guest-panic: the guest panics again after every reset.' },
  kdumpReboot: ref('duration', 'host-kernel-panic: kdump reboots the host after this long (overrides config.host.kdumpReboot).'),
}, { required: ['at', 'kind'] });

/** `expect:`, shared with the `ihasim inject` campaign file (harness/inject/campaign-schema.ts). */
export const EXPECT = object('What the run must show.', {
  invariants: { type: ['string', 'array'], pattern: '^all$', items: { type: 'string' }, default: 'all',
    description: 'Invariants to check: `all` or a list of names.', [EXPECTED_KEYWORD]: '`all` or a list of invariant names' },
  recoveryBound: ref('duration', 'Bound for `recovery-bounded` (absent: that invariant is not judged).'),
  recoveryBoundFrom: { type: 'string', enum: ['failure', 'heal'], default: 'failure',
    description: 'Where the bound starts: at each failure, or once the last fault has healed (the liveness phase of `ihasim check`).' },
  violations: stringList('Invariant violations that MUST be found (scenarios of unsafe designs).'),
  allowedReasons: { type: 'array', items: { type: 'string', enum: [...REASON_NAMES] }, default: [],
    description: 'Reasons an opted-in instance may stay down without breaking `recovery-bounded` (default none: any instance not recovered within the bound is a violation). See the reasons table in scenarios/README.md.' },
}, { default: {} });

const CHECK = object('The fault space of `ihasim check` (property-based chaos); every key has a default.', {
  faults: { type: 'array', items: { type: 'string', enum: [...FAULT_KINDS] }, minItems: 1, default: [...DEFAULT_CHECK_KINDS],
    description: 'Fault kinds the checker may inject (default: every kind that heals or is healed by recovery).' },
  hosts: stringList('Computes faults may hit: names or globs (default: all).'),
  controllers: stringList('Controllers faults may hit: names or globs (default: all).'),
  servers: stringList('Servers guest faults may hit: names or globs (default: all).'),
  window: { type: 'array', minItems: 2, maxItems: 2, items: { $ref: '#/$defs/duration' }, default: ['1m', '10m'],
    description: 'Faults start within [from, to].' },
  maxFaults: integer('Most faults in one schedule.', 1, 4),
  maxConcurrent: integer('Most faults active at once.', 1, 2),
  maxDuration: ref('duration', 'Longest a fault lasts before it heals.', '5m'),
  grid: ref('duration', 'Time grid of generated times.', '10s'),
  recoveryBound: ref('duration', 'Liveness bound after the last fault heals (default: expect.recoveryBound, else 10m).'),
}, { default: {} });

const PROVENANCE = object('Who wrote this scenario, and from what: `ihasim check` writes it into a counterexample. ' +
  'The simulation ignores it; `ihasim run` warns when `ihasim` is not its own version, and reports record it.', {
  ihasim: text('The ihasim version that wrote the scenario (`ihasim --version`).', undefined, { minLength: 1 }),
  scenarioHash: text('Hash of the scenario file it was derived from (the `scenarioHash` of that file\'s reports).',
    undefined, { pattern: '^[0-9a-f]{64}$', [EXPECTED_KEYWORD]: '64 lowercase hex digits' }),
  seed: { ...integer('`ihasim check --seed` of the search that found it.', 0), maximum: MAX_SEED },
  path: text('`ihasim check --path` that replays the counterexample.'),
}, { required: ['ihasim', 'scenarioHash', 'seed', 'path'] });

/** Builds the JSON Schema of scenario format version 1 (the file `scenarios/scenario.schema.json`). */
export function buildScenarioSchema(): JsonSchema {
  const top = object('A scenario of ihasim, the OpenStack instance-HA simulator (format version 1).', {
    ihasim: { const: 1, description: 'Format version; always 1.' },
    name: text('Scenario name (reports and replay commands use it).', undefined, { minLength: 1 }),
    description: text('What the scenario shows.', ''),
    duration: ref('duration', 'Simulated time the run lasts.'),
    seed: { ...integer(`Seed of every random choice (the same seed gives the same run), ${SEED_RANGE_TEXT}.`, 0, 1), maximum: MAX_SEED },
    topology: TOPOLOGY,
    flavors: namedMap('Flavors by name.', FLAVOR),
    images: namedMap('Glance images by name.', IMAGE),
    servers: { type: 'array', items: SERVER, default: [], description: 'Servers, placed at start by the scheduler.' },
    serverGroups: namedMap('Server groups by name.', SERVER_GROUP),
    config: configSchema(),
    recovery: recoverySchema(),
    faults: { type: 'array', items: FAULT, default: [], description: 'Faults, in any order.' },
    expect: EXPECT,
    check: CHECK,
    provenance: PROVENANCE,
  }, { required: ['ihasim', 'name', 'duration'] });
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'ihasim scenario', ...top, $defs: SHARED_DEFS };
}
