import type { DesignValidationContext } from '../../design.js';
import { durationKnob, formatKnobDuration as fmt, integerKnob, parseKnobDuration, type KnobBounds } from './knobs.js';

/** masakari/objects/fields.py `FailoverSegmentRecoveryMethod`. */
export const RECOVERY_METHODS = ['auto', 'reserved_host', 'auto_priority', 'rh_priority'] as const;
export type RecoveryMethod = (typeof RECOVERY_METHODS)[number];

export interface SegmentConfig {
  name: string;
  recoveryMethod: RecoveryMethod;
  enabled: boolean;
  /** Member hosts (`all`: every compute not listed as reserved). */
  hosts: readonly string[] | 'all';
  /** Members created with `reserved=True` (spare hosts, kept disabled in Nova until a recovery takes them). */
  reservedHosts: readonly string[];
}

/** The resolved `recovery:` block of `policy: masakari` (durations in ms). */
export interface MasakariConfig {
  monitor: {
    intervalMs: number;
    samples: number;
    stonithWaitMs: number;
    disableIpmiCheck: boolean;
    restrictToRemotes: boolean;
    ipmiTimeoutMs: number;
    ipmiRetryMax: number;
    ipmiRetryIntervalMs: number;
    apiRetryMax: number;
    apiRetryIntervalMs: number;
    /** Model: the hostmonitors' start times are spread uniformly over this. */
    startSpreadMs: number;
    /** Deployment: a host monitor on every controller (full cluster member) too. */
    onControllers: boolean;
  };
  api: {
    notificationDelayMaxMs: number;
    coordinationBackend: 'none' | 'tooz';
    duplicateIntervalMs: number;
    /** Model: time between the duplicate check's SELECT and the notification's INSERT. */
    checkToInsertMs: number;
  };
  engine: {
    engines: number;
    waitAfterServiceUpdateMs: number;
    waitAfterEvacuationMs: number;
    verifyIntervalMs: number;
    waitAfterPowerOffMs: number;
    threads: number;
    processUnfinishedIntervalMs: number;
    retryNewIntervalMs: number;
    checkExpiredIntervalMs: number;
    expiredMs: number;
    evacuateAllInstances: boolean;
    ignoreInstancesInErrorState: boolean;
    haEnabledKey: string;
    addReservedHostToAggregate: boolean;
    serviceDisableReason: string;
  };
  segments: readonly SegmentConfig[];
}

const S = 1000;

/**
 * Each knob: its key under `recovery:`, default, bounds and the upstream option it models. Durations are written
 * as durations (`60s`); upstream counts whole seconds. `bounds` are checked by `validate` (a duration's value
 * cannot be bounded by the JSON Schema).
 */
const DURATIONS: Record<string, { dflt: string; bounds: KnobBounds; upstream: string }> = {
  monitoringInterval: { dflt: '60s', bounds: { min: S, max: 3600 * S },
    upstream: 'masakari-monitors [host] monitoring_interval: the host monitor\'s cycle' },
  stonithWait: { dflt: '30s', bounds: { min: 0, max: 3600 * S },
    upstream: 'masakari-monitors [host] stonith_wait: sleep after a failed corosync heartbeat capture' },
  ipmiTimeout: { dflt: '5s', bounds: { min: S, max: 300 * S },
    upstream: 'masakari-monitors [host] ipmi_timeout: `timeout N ipmitool … power status`' },
  ipmiRetryInterval: { dflt: '10s', bounds: { min: 0, max: 600 * S },
    upstream: 'masakari-monitors [host] ipmi_retry_interval' },
  apiRetryInterval: { dflt: '10s', bounds: { min: 0, max: 600 * S },
    upstream: 'masakari-monitors [host] api_retry_interval: between posts of a notification' },
  monitorStartSpread: { dflt: '10s', bounds: { min: 0, max: 3600 * S },
    upstream: 'model, no upstream option: the host monitors were started this far apart (deployment tools restart ' +
      'them in parallel batches); it sets how close their cycles are, hence how often two report at once' },
  notificationDelayMax: { dflt: '5s', bounds: { min: 0, max: 3600 * S },
    upstream: 'masakari [DEFAULT] notification_delay_max: random sleep before creating a notification without a ' +
      'coordination backend (ha/api.py NotificationAPI.create_notification)' },
  duplicateNotificationDetectionInterval: { dflt: '180s', bounds: { min: 0, max: 86400 * S },
    upstream: 'masakari [DEFAULT] duplicate_notification_detection_interval' },
  apiCheckToInsert: { dflt: '50ms', bounds: { min: 0, max: 60 * S },
    upstream: 'model, no upstream option: the duplicate check\'s SELECT to the INSERT of a notification (the window ' +
      'in which two API workers both find no duplicate)' },
  waitPeriodAfterServiceUpdate: { dflt: '180s', bounds: { min: 0, max: 3600 * S },
    upstream: 'masakari [DEFAULT] wait_period_after_service_update: sleep after disabling the failed host\'s service' },
  waitPeriodAfterEvacuation: { dflt: '90s', bounds: { min: S, max: 3600 * S },
    upstream: 'masakari [DEFAULT] wait_period_after_evacuation: how long one evacuation is confirmed' },
  verifyInterval: { dflt: '1s', bounds: { min: 100, max: 60 * S },
    upstream: 'masakari [DEFAULT] verify_interval: poll of an evacuation being confirmed' },
  waitPeriodAfterPowerOff: { dflt: '180s', bounds: { min: S, max: 3600 * S },
    upstream: 'masakari [DEFAULT] wait_period_after_power_off: an evacuated instance that was not active is stopped within this' },
  processUnfinishedNotificationsInterval: { dflt: '120s', bounds: { min: S, max: 86400 * S },
    upstream: 'masakari [DEFAULT] process_unfinished_notifications_interval: the retry periodic task' },
  retryNotificationNewStatusInterval: { dflt: '60s', bounds: { min: 0, max: 86400 * S },
    upstream: 'masakari [DEFAULT] retry_notification_new_status_interval: a `new` notification older than this is retried' },
  checkExpiredNotificationsInterval: { dflt: '600s', bounds: { min: S, max: 86400 * S },
    upstream: 'masakari [DEFAULT] check_expired_notifications_interval' },
  notificationsExpiredInterval: { dflt: '86400s', bounds: { min: S, max: 30 * 86400 * S },
    upstream: 'masakari [DEFAULT] notifications_expired_interval: older unfinished notifications become `failed`' },
};

const INTEGERS: Record<string, { dflt: number; min: number; max: number; upstream: string }> = {
  monitoringSamples: { dflt: 1, min: 1, max: 100,
    upstream: 'masakari-monitors [host] monitoring_samples: consecutive equal samples before a state counts' },
  ipmiRetryMax: { dflt: 3, min: 0, max: 100, upstream: 'masakari-monitors [host] ipmi_retry_max' },
  apiRetryMax: { dflt: 12, min: 0, max: 1000, upstream: 'masakari-monitors [host] api_retry_max' },
  hostFailureRecoveryThreads: { dflt: 3, min: 1, max: 1000,
    upstream: 'masakari [DEFAULT] host_failure_recovery_threads: evacuations in parallel' },
  engines: { dflt: 3, min: 1, max: 64,
    upstream: 'deployment, no upstream option: masakari-engine services (kolla-ansible and openstack-ansible run ' +
      'one per controller); the per-host lock of MasakariManager._process_notification is in-process' },
};

const BOOLEANS: Record<string, { dflt: boolean; upstream: string }> = {
  disableIpmiCheck: { dflt: false,
    upstream: 'masakari-monitors [host] disable_ipmi_check: report host_status NORMAL without asking the BMC (unsafe)' },
  monitorOnControllers: { dflt: false,
    upstream: 'deployment, no upstream option: masakari-hostmonitor also runs on the controllers (full cluster ' +
      'members: `_check_hb_line` with `stonith_wait` and the crmadmin S_IDLE/S_NOT_DC check apply there)' },
  restrictToRemotes: { dflt: false,
    upstream: 'masakari-monitors [host] restrict_to_remotes: read `crm_mon -X` and watch pacemaker-remote nodes only' },
  evacuateAllInstances: { dflt: true,
    upstream: 'masakari [host_failure] evacuate_all_instances: true evacuates every instance (HA_Enabled ones first)' },
  ignoreInstancesInErrorState: { dflt: false, upstream: 'masakari [host_failure] ignore_instances_in_error_state' },
  addReservedHostToAggregate: { dflt: false, upstream: 'masakari [host_failure] add_reserved_host_to_aggregate' },
};

const SEGMENT_SCHEMA = {
  type: 'object',
  description: 'A failover segment (`openstack segment create`): its hosts and recovery method.',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', description: 'Segment name.' },
    recoveryMethod: { type: 'string', enum: [...RECOVERY_METHODS], default: 'auto',
      description: 'masakari segment `recovery_method`: auto (the scheduler picks), reserved_host, auto_priority, rh_priority.' },
    enabled: { type: 'boolean', default: true, description: 'masakari segment `enabled`: a disabled segment ignores notifications.' },
    hosts: { type: ['string', 'array'], pattern: '^all$', items: { type: 'string' }, default: 'all',
      description: 'Member computes: `all` (every compute not reserved) or a list of names.' },
    reservedHosts: { type: 'array', items: { type: 'string' }, default: [],
      description: 'Members with `reserved=True` (spare hosts for reserved_host, auto_priority, rh_priority).' },
  },
};

export const MASAKARI_CONFIG_SCHEMA: Record<string, unknown> = {
  ...Object.fromEntries(Object.entries(DURATIONS).map(([k, d]) => [k, durationKnob(d.upstream, d.dflt, d.bounds)])),
  ...Object.fromEntries(Object.entries(INTEGERS).map(([k, d]) => [k, integerKnob(d.upstream, d.dflt, d.min, d.max)])),
  ...Object.fromEntries(Object.entries(BOOLEANS).map(([k, d]) => [k, { type: 'boolean', default: d.dflt, description: d.upstream }])),
  coordinationBackend: { type: 'string', enum: ['none', 'tooz'], default: 'none',
    description: 'masakari [coordination] backend_url: none (upstream default: the per-host lock of ' +
      'create_notification is a no-op and a random delay is slept instead) or tooz (a real lock)' },
  haEnabledInstanceMetadataKey: { type: 'string', default: 'HA_Enabled', minLength: 1,
    description: 'masakari [host_failure] ha_enabled_instance_metadata_key' },
  serviceDisableReason: { type: 'string', default: 'Masakari detected host failed.',
    description: 'masakari [host_failure] service_disable_reason' },
  segments: { type: 'array', items: SEGMENT_SCHEMA, minItems: 1,
    default: [{ name: 'segment-1', recoveryMethod: 'auto', enabled: true, hosts: 'all', reservedHosts: [] }],
    description: 'masakari failover segments (`openstack segment create`, `segment host create`); default: one `auto` segment of every compute.' },
};

type Raw = Record<string, unknown>;

function duration(raw: Raw, key: string): number {
  return parseKnobDuration(raw[key] ?? DURATIONS[key]!.dflt);
}
const int = (raw: Raw, key: string): number => (raw[key] as number | undefined) ?? INTEGERS[key]!.dflt;
const bool = (raw: Raw, key: string): boolean => (raw[key] as boolean | undefined) ?? BOOLEANS[key]!.dflt;

function resolveSegments(raw: unknown): SegmentConfig[] {
  const list = (raw as Raw[] | undefined) ?? (MASAKARI_CONFIG_SCHEMA['segments'] as { default: Raw[] }).default;
  return list.map((s) => ({
    name: s['name'] as string,
    recoveryMethod: (s['recoveryMethod'] as RecoveryMethod | undefined) ?? 'auto',
    enabled: (s['enabled'] as boolean | undefined) ?? true,
    hosts: (s['hosts'] as string[] | 'all' | undefined) ?? 'all',
    reservedHosts: (s['reservedHosts'] as string[] | undefined) ?? [],
  }));
}

export function resolveMasakari(raw: Raw): MasakariConfig {
  return {
    monitor: {
      intervalMs: duration(raw, 'monitoringInterval'), samples: int(raw, 'monitoringSamples'),
      stonithWaitMs: duration(raw, 'stonithWait'), disableIpmiCheck: bool(raw, 'disableIpmiCheck'),
      restrictToRemotes: bool(raw, 'restrictToRemotes'), ipmiTimeoutMs: duration(raw, 'ipmiTimeout'),
      ipmiRetryMax: int(raw, 'ipmiRetryMax'), ipmiRetryIntervalMs: duration(raw, 'ipmiRetryInterval'),
      apiRetryMax: int(raw, 'apiRetryMax'), apiRetryIntervalMs: duration(raw, 'apiRetryInterval'),
      startSpreadMs: duration(raw, 'monitorStartSpread'),
      onControllers: bool(raw, 'monitorOnControllers'),
    },
    api: {
      notificationDelayMaxMs: duration(raw, 'notificationDelayMax'),
      coordinationBackend: (raw['coordinationBackend'] as 'none' | 'tooz' | undefined) ?? 'none',
      duplicateIntervalMs: duration(raw, 'duplicateNotificationDetectionInterval'),
      checkToInsertMs: duration(raw, 'apiCheckToInsert'),
    },
    engine: {
      engines: int(raw, 'engines'),
      waitAfterServiceUpdateMs: duration(raw, 'waitPeriodAfterServiceUpdate'),
      waitAfterEvacuationMs: duration(raw, 'waitPeriodAfterEvacuation'),
      verifyIntervalMs: duration(raw, 'verifyInterval'),
      waitAfterPowerOffMs: duration(raw, 'waitPeriodAfterPowerOff'),
      threads: int(raw, 'hostFailureRecoveryThreads'),
      processUnfinishedIntervalMs: duration(raw, 'processUnfinishedNotificationsInterval'),
      retryNewIntervalMs: duration(raw, 'retryNotificationNewStatusInterval'),
      checkExpiredIntervalMs: duration(raw, 'checkExpiredNotificationsInterval'),
      expiredMs: duration(raw, 'notificationsExpiredInterval'),
      evacuateAllInstances: bool(raw, 'evacuateAllInstances'),
      ignoreInstancesInErrorState: bool(raw, 'ignoreInstancesInErrorState'),
      haEnabledKey: (raw['haEnabledInstanceMetadataKey'] as string | undefined) ?? 'HA_Enabled',
      addReservedHostToAggregate: bool(raw, 'addReservedHostToAggregate'),
      serviceDisableReason: (raw['serviceDisableReason'] as string | undefined) ?? 'Masakari detected host failed.',
    },
    segments: resolveSegments(raw['segments']),
  };
}

/** The durations as resolved, by key (for the bounds check). */
function resolvedDurations(c: MasakariConfig): Record<string, number> {
  return {
    monitoringInterval: c.monitor.intervalMs, stonithWait: c.monitor.stonithWaitMs, ipmiTimeout: c.monitor.ipmiTimeoutMs,
    ipmiRetryInterval: c.monitor.ipmiRetryIntervalMs, apiRetryInterval: c.monitor.apiRetryIntervalMs,
    monitorStartSpread: c.monitor.startSpreadMs, notificationDelayMax: c.api.notificationDelayMaxMs,
    duplicateNotificationDetectionInterval: c.api.duplicateIntervalMs, apiCheckToInsert: c.api.checkToInsertMs,
    waitPeriodAfterServiceUpdate: c.engine.waitAfterServiceUpdateMs, waitPeriodAfterEvacuation: c.engine.waitAfterEvacuationMs,
    verifyInterval: c.engine.verifyIntervalMs, waitPeriodAfterPowerOff: c.engine.waitAfterPowerOffMs,
    processUnfinishedNotificationsInterval: c.engine.processUnfinishedIntervalMs,
    retryNotificationNewStatusInterval: c.engine.retryNewIntervalMs,
    checkExpiredNotificationsInterval: c.engine.checkExpiredIntervalMs, notificationsExpiredInterval: c.engine.expiredMs,
  };
}


function boundsMessages(c: MasakariConfig): string[] {
  const out: string[] = [];
  for (const [key, ms] of Object.entries(resolvedDurations(c))) {
    const { min, max } = DURATIONS[key]!.bounds;
    if (ms < min || ms > max) out.push(`${key}: expected a duration from ${fmt(min)} to ${fmt(max)}, found ${fmt(ms)}`);
  }
  return out;
}

/** Hosts of each segment, as Masakari's DB will hold them (`all`: the computes not reserved anywhere). */
export function segmentMembers(c: MasakariConfig, computes: readonly string[]): { segment: SegmentConfig; hosts: string[] }[] {
  const reserved = new Set(c.segments.flatMap((s) => s.reservedHosts));
  return c.segments.map((segment) => ({
    segment,
    hosts: segment.hosts === 'all' ? computes.filter((h) => !reserved.has(h)) : [...segment.hosts],
  }));
}

function segmentMessages(c: MasakariConfig, ctx: DesignValidationContext): string[] {
  const out: string[] = [];
  const known = new Set(ctx.hosts.map((h) => h.name));
  const owner = new Map<string, string>();
  c.segments.forEach((s, i) => {
    const at = `segments[${i}]`;
    if (s.recoveryMethod !== 'auto' && s.reservedHosts.length === 0) {
      out.push(`${at}.reservedHosts: recoveryMethod ${s.recoveryMethod} needs at least one reserved host, found none`);
    }
    const listed = [...(s.hosts === 'all' ? [] : s.hosts), ...s.reservedHosts];
    for (const h of listed) {
      if (!known.has(h)) out.push(`${at}: host ${h} is not a compute of the topology`);
      else if (owner.has(h) && owner.get(h) !== s.name) out.push(`${at}: host ${h} is already in segment ${owner.get(h)} (a Masakari host belongs to one segment)`);
      else owner.set(h, s.name);
    }
  });
  if (c.segments.filter((s) => s.hosts === 'all').length > 1) out.push('segments: only one segment may take `hosts: all`');
  return out;
}

export function validateMasakari(c: MasakariConfig, ctx: DesignValidationContext): string[] {
  return [...boundsMessages(c), ...segmentMessages(c, ctx)];
}
