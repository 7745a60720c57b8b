import { describe, expect, it } from 'vitest';
import { KNOBS, resolveConfig } from '../../../../sim/recovery/designs/rhoso-instanceha/config.js';
import type { DesignResolveContext } from '../../../../sim/recovery/design.js';
import { rhosoInstanceHa } from '../../../../sim/recovery/designs/rhoso-instanceha/index.js';

/** RHOSO's resolve reads only its own keys. */
const NO_CONTEXT = {} as DesignResolveContext;

describe('RHOSO InstanceHA knobs (instanceha.py ConfigManager._config_map, config/config.yaml)', () => {
  it('defaults are upstream\'s', () => {
    const c = resolveConfig({});
    expect(c).toMatchObject({
      pollMs: 45_000, deltaMs: 30_000, thresholdPercent: 50, maxHostsPerCycle: 10, workers: 4, fencingTimeoutMs: 30_000,
      checkHeartbeat: false, heartbeatTimeoutMs: 120_000, heartbeatCliffThresholdPercent: 50, heartbeatCliffMaxCycles: 3,
      checkKdump: false, kdumpTimeoutMs: 30_000, disabled: false, smartEvacuation: false, orchestratedRestart: false,
      delayMs: 0, evacuationMaxThreads: 32, evacuationRetries: 5, evacuationTimeoutMs: 300_000, taggedImages: true,
      taggedFlavors: true, taggedAggregates: true, evacuableTag: 'evacuable', skipServersWithName: [], reservedHosts: false,
      forceEnable: false, leaveDisabled: false, fencingProtocol: 'ipmi', fencingProtocolByHost: {},
    });
  });

  it('every knob\'s schema names its upstream variable and gives its default (and bounds when it has some)', () => {
    for (const k of KNOBS) {
      const schema = rhosoInstanceHa.configSchema[k.key] as { description: string; default: unknown };
      expect(schema.description).toContain(k.upstream);
      expect(schema.default).toBeDefined();
      if (k.min !== undefined) expect(schema.description).toContain(`[${k.min}`);
    }
  });

  it('validate refuses a duration outside upstream\'s bounds, naming the key and the bounds (upstream would clamp)', () => {
    const context = { hosts: [{ name: 'compute-1', rack: 'r1', az: 'nova' }], aggregates: [] };
    const problems = (recovery: Record<string, unknown>): string[] => rhosoInstanceHa.validate!(rhosoInstanceHa.resolve(recovery, NO_CONTEXT), context);
    expect(problems({ poll: '5s' })).toEqual([expect.stringMatching(/^poll: 5s is outside \[15s, 600s\] \(POLL/)]);
    expect(problems({ fencingTimeout: '121s' })).toEqual([expect.stringMatching(/^fencingTimeout: 121s is outside \[5s, 120s\]/)]);
    expect(problems({ poll: '15s', delta: '5m', fencingProtocolByHost: { 'compute-1': 'redfish' } })).toEqual([]);
    expect(problems({ fencingProtocolByHost: { 'compute-9': 'redfish' } })).toEqual(['fencingProtocolByHost: no compute named `compute-9`']);
    expect(rhosoInstanceHa.resolve({ poll: '15s', delta: '5m' }, NO_CONTEXT)).toMatchObject({ pollMs: 15_000, deltaMs: 300_000 });
  });
});
