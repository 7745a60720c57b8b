import { tryParseDuration } from '../../../../harness/scenario/duration.js';

/**
 * The knobs of RHOSO InstanceHA, read from openstack-k8s-operators/infra-operator
 * `templates/instanceha/bin/instanceha.py` (`ConfigManager._config_map`: default, min, max) and
 * `templates/instanceha/config/config.yaml` (the shipped ConfigMap, same defaults). Durations are whole seconds
 * upstream; here they are durations (`45s`), resolved to ms. Upstream clamps an out-of-range value
 * (`ConfigManager.get_int`) with a warning; ihasim refuses it (exit 3) so that a scenario never silently runs
 * another value than the one written.
 */
export interface RhosoConfig {
  pollMs: number;
  deltaMs: number;
  thresholdPercent: number;
  maxHostsPerCycle: number;
  workers: number;
  fencingTimeoutMs: number;
  checkHeartbeat: boolean;
  heartbeatTimeoutMs: number;
  heartbeatCliffThresholdPercent: number;
  heartbeatCliffMaxCycles: number;
  checkKdump: boolean;
  kdumpTimeoutMs: number;
  disabled: boolean;
  smartEvacuation: boolean;
  orchestratedRestart: boolean;
  delayMs: number;
  evacuationMaxThreads: number;
  evacuationRetries: number;
  evacuationTimeoutMs: number;
  taggedImages: boolean;
  taggedFlavors: boolean;
  taggedAggregates: boolean;
  evacuableTag: string;
  skipServersWithName: string[];
  reservedHosts: boolean;
  forceReservedHostEvacuation: boolean;
  forceEnable: boolean;
  leaveDisabled: boolean;
  /** Fencing agent per host (`fencing.yaml` `agent:`); hosts not listed use `fencingProtocol`. */
  fencingProtocol: 'ipmi' | 'redfish';
  fencingProtocolByHost: Record<string, 'ipmi' | 'redfish'>;
}

interface Knob {
  key: string;
  upstream: string;
  kind: 'duration' | 'int' | 'bool' | 'string' | 'list';
  dflt: number | boolean | string | string[];
  /** Seconds for durations. */
  min?: number;
  max?: number;
  unit?: string;
  what: string;
}

const K = (key: string, upstream: string, kind: Knob['kind'], dflt: Knob['dflt'], what: string, min?: number, max?: number): Knob =>
  ({ key, upstream, kind, dflt, what, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) });

/** Every knob, in `ConfigManager._config_map`'s order of concerns; bounds are its ConfigItem(min, max). */
export const KNOBS: readonly Knob[] = [
  K('poll', 'POLL', 'duration', 45, 'Time between poll cycles of the Nova service list (slept after each cycle).', 15, 600),
  K('delta', 'DELTA', 'duration', 30, 'A service whose updated_at is older than now - DELTA is a failure candidate (before Nova\'s own 60 s).', 10, 300),
  K('threshold', 'THRESHOLD', 'int', 50, 'Percent: when down or forced-down hosts plus new candidates exceed this share of the (evacuable) services, the whole cycle is skipped.', 0, 100),
  K('maxHostsPerCycle', 'MAX_HOSTS_PER_CYCLE', 'int', 10, 'At most this many new hosts fenced per cycle; the rest wait for the next one.', 1, 200),
  K('workers', 'WORKERS', 'int', 4, 'Hosts processed (fence + evacuate) at once.', 1, 100),
  K('fencingTimeout', 'FENCING_TIMEOUT', 'duration', 30, 'Timeout of each BMC command and of the wait for power off.', 5, 120),
  K('checkHeartbeat', 'CHECK_HEARTBEAT', 'bool', false, 'Skip fencing hosts still sending UDP heartbeats; a sudden loss of half the heard hosts skips fencing for up to HEARTBEAT_CLIFF_MAX_CYCLES cycles.'),
  K('heartbeatTimeout', 'HEARTBEAT_TIMEOUT', 'duration', 120, 'A host not heard for this long is unreachable.', 30, 600),
  K('heartbeatCliffThreshold', 'HEARTBEAT_CLIFF_THRESHOLD', 'int', 50, 'Percent drop of heard hosts between cycles that is taken as a partition.', 10, 100),
  K('heartbeatCliffMaxCycles', 'HEARTBEAT_CLIFF_MAX_CYCLES', 'int', 3, 'Cycles a heartbeat cliff may skip fencing before it is believed.', 1, 20),
  K('checkKdump', 'CHECK_KDUMP', 'bool', false, 'Wait KDUMP_TIMEOUT for a kdump message from a failed host; a host that sent one counts as fenced (no power off, no power on).'),
  K('kdumpTimeout', 'KDUMP_TIMEOUT', 'duration', 30, 'How long a failed host is deferred waiting for its first kdump message.', 5, 300),
  K('disabled', 'DISABLED', 'bool', false, 'Detect and re-enable only: never fence nor evacuate.'),
  K('smartEvacuation', 'SMART_EVACUATION', 'bool', false, 'Track each evacuation\'s migration to completion (retries, timeout) instead of fire-and-forget.'),
  K('orchestratedRestart', 'ORCHESTRATED_RESTART', 'bool', false, 'Evacuate in phases by `instanceha:restart_priority` / `instanceha:restart_group` metadata (tracked like smart evacuation).'),
  K('delay', 'DELAY', 'duration', 0, 'Sleep after listing a host\'s servers, before evacuating them.', 0, 300),
  K('evacuationMaxThreads', 'EVACUATION_MAX_THREADS', 'int', 32, 'Evacuation thread budget; per-host concurrency of smart evacuation is this / WORKERS.', 1, 512),
  K('evacuationRetries', 'EVACUATION_RETRIES', 'int', 5, 'Smart evacuation: failed migrations of one instance before giving up.', 1, 20),
  K('evacuationTimeout', 'EVACUATION_TIMEOUT', 'duration', 300, 'Smart evacuation: time allowed to one instance\'s evacuation.', 60, 3600),
  K('taggedImages', 'TAGGED_IMAGES', 'bool', true, 'Only evacuate servers whose image carries EVACUABLE_TAG (fails open: if no image or flavor is tagged, all are).'),
  K('taggedFlavors', 'TAGGED_FLAVORS', 'bool', true, 'Only evacuate servers whose flavor has extra spec EVACUABLE_TAG=true (fails open like images).'),
  K('taggedAggregates', 'TAGGED_AGGREGATES', 'bool', true, 'Only recover hosts in an aggregate with metadata EVACUABLE_TAG=true (fails CLOSED: no tagged aggregate, no recovery).'),
  K('evacuableTag', 'EVACUABLE_TAG', 'string', 'evacuable', 'The tag, extra spec and metadata key that opts in.'),
  K('skipServersWithName', 'SKIP_SERVERS_WITH_NAME', 'list', [], 'Glob patterns of server names never evacuated.'),
  K('reservedHosts', 'RESERVED_HOSTS', 'bool', false, 'Enable a reserved host (disabled with a reason containing `reserved`) in the failed host\'s aggregate, else its AZ.'),
  K('forceReservedHostEvacuation', 'FORCE_RESERVED_HOST_EVACUATION', 'bool', false, 'Evacuate to the enabled reserved host instead of letting the scheduler pick.'),
  K('forceEnable', 'FORCE_ENABLE', 'bool', false, 'Re-enable a host without waiting for its evacuations to finish.'),
  K('leaveDisabled', 'LEAVE_DISABLED', 'bool', false, 'Leave a recovered host disabled (forced up only).'),
];

const durationSchema = (k: Knob): Record<string, unknown> => ({
  $ref: '#/$defs/duration',
  default: `${k.dflt as number}s`,
  description: `${k.upstream} (default ${k.dflt as number}s, bounds [${k.min}s, ${k.max}s]): ${k.what}`,
});

function knobSchema(k: Knob): Record<string, unknown> {
  switch (k.kind) {
    case 'duration':
      return durationSchema(k);
    case 'int':
      return { type: 'integer', minimum: k.min, maximum: k.max, default: k.dflt,
        description: `${k.upstream} (default ${String(k.dflt)}, bounds [${k.min}, ${k.max}]): ${k.what}` };
    case 'bool':
      return { type: 'boolean', default: k.dflt, description: `${k.upstream} (default ${String(k.dflt)}): ${k.what}` };
    case 'string':
      return { type: 'string', minLength: 1, default: k.dflt, description: `${k.upstream} (default \`${String(k.dflt)}\`): ${k.what}` };
    case 'list':
      return { type: 'array', items: { type: 'string' }, default: k.dflt, description: `${k.upstream} (default empty): ${k.what}` };
  }
}

const PROTOCOL = { type: 'string', enum: ['ipmi', 'redfish'] };

/** JSON-schema properties of the design's keys under `recovery:` (siblings of `policy`). */
export const CONFIG_SCHEMA: Record<string, unknown> = {
  ...Object.fromEntries(KNOBS.map((k) => [k.key, knobSchema(k)])),
  fencingProtocol: { ...PROTOCOL, default: 'ipmi',
    description: 'fencing.yaml `agent:` of every host not in fencingProtocolByHost: `ipmi` (ipmitool power off, 3 tries, then poll status) or `redfish` (ComputerSystem.Reset ForceOff, then poll PowerState).' },
  fencingProtocolByHost: { type: 'object', additionalProperties: PROTOCOL, default: {},
    description: 'fencing.yaml `agent:` per host (`ipmi` or `redfish`).' },
};

/**
 * Durations outside upstream's bounds (the JSON schema bounds the integer knobs itself, but cannot bound a duration
 * string): `poll: 5s is outside [15s, 600s] …`, reported at `recovery.poll`.
 */
export function durationBoundsProblems(config: RhosoConfig): string[] {
  const out: string[] = [];
  const resolved: Record<string, number> = {
    poll: config.pollMs, delta: config.deltaMs, fencingTimeout: config.fencingTimeoutMs, heartbeatTimeout: config.heartbeatTimeoutMs,
    kdumpTimeout: config.kdumpTimeoutMs, delay: config.delayMs, evacuationTimeout: config.evacuationTimeoutMs,
  };
  for (const k of KNOBS) {
    if (k.kind !== 'duration') continue;
    const ms = resolved[k.key] as number;
    if (ms < (k.min as number) * 1000 || ms > (k.max as number) * 1000) {
      out.push(`${k.key}: ${ms / 1000}s is outside [${k.min}s, ${k.max}s] (${k.upstream} in instanceha.py ConfigManager._config_map; upstream would clamp it)`);
    }
  }
  return out;
}

function value<T>(recovery: Record<string, unknown>, k: Knob): T {
  return (recovery[k.key] ?? k.dflt) as T;
}

const byKey = new Map(KNOBS.map((k) => [k.key, k]));

function knob(key: string): Knob {
  const k = byKey.get(key);
  if (!k) throw new Error(`rhoso-instanceha: no knob ${key}`);
  return k;
}

function ms(recovery: Record<string, unknown>, key: string): number {
  const k = knob(key);
  const raw = recovery[key];
  if (raw === undefined) return (k.dflt as number) * 1000;
  const r = tryParseDuration(raw);
  if (!r.ok) throw new Error(`recovery.${key}: ${r.problem}`);
  return r.ms;
}

const get = <T>(recovery: Record<string, unknown>, key: string): T => value<T>(recovery, knob(key));

/** The validated `recovery:` block (schema defaults may or may not be filled) as the design's config. */
export function resolveConfig(recovery: Record<string, unknown>): RhosoConfig {
  return {
    pollMs: ms(recovery, 'poll'),
    deltaMs: ms(recovery, 'delta'),
    thresholdPercent: get(recovery, 'threshold'),
    maxHostsPerCycle: get(recovery, 'maxHostsPerCycle'),
    workers: get(recovery, 'workers'),
    fencingTimeoutMs: ms(recovery, 'fencingTimeout'),
    checkHeartbeat: get(recovery, 'checkHeartbeat'),
    heartbeatTimeoutMs: ms(recovery, 'heartbeatTimeout'),
    heartbeatCliffThresholdPercent: get(recovery, 'heartbeatCliffThreshold'),
    heartbeatCliffMaxCycles: get(recovery, 'heartbeatCliffMaxCycles'),
    checkKdump: get(recovery, 'checkKdump'),
    kdumpTimeoutMs: ms(recovery, 'kdumpTimeout'),
    disabled: get(recovery, 'disabled'),
    smartEvacuation: get(recovery, 'smartEvacuation'),
    orchestratedRestart: get(recovery, 'orchestratedRestart'),
    delayMs: ms(recovery, 'delay'),
    evacuationMaxThreads: get(recovery, 'evacuationMaxThreads'),
    evacuationRetries: get(recovery, 'evacuationRetries'),
    evacuationTimeoutMs: ms(recovery, 'evacuationTimeout'),
    taggedImages: get(recovery, 'taggedImages'),
    taggedFlavors: get(recovery, 'taggedFlavors'),
    taggedAggregates: get(recovery, 'taggedAggregates'),
    evacuableTag: get(recovery, 'evacuableTag'),
    skipServersWithName: get(recovery, 'skipServersWithName'),
    reservedHosts: get(recovery, 'reservedHosts'),
    forceReservedHostEvacuation: get(recovery, 'forceReservedHostEvacuation'),
    forceEnable: get(recovery, 'forceEnable'),
    leaveDisabled: get(recovery, 'leaveDisabled'),
    fencingProtocol: (recovery['fencingProtocol'] as RhosoConfig['fencingProtocol'] | undefined) ?? 'ipmi',
    fencingProtocolByHost: (recovery['fencingProtocolByHost'] as RhosoConfig['fencingProtocolByHost'] | undefined) ?? {},
  };
}
