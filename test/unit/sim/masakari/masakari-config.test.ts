import { describe, expect, it } from 'vitest';
import { MASAKARI_CONFIG_SCHEMA, resolveMasakari, validateMasakari } from '../../../../sim/recovery/designs/masakari/config.js';
import { masakariDesign } from '../../../../sim/recovery/designs/masakari/index.js';

const HOSTS = ['compute-1', 'compute-2', 'compute-3'].map((name) => ({ name, rack: 'r1', az: 'nova' }));
const validate = (recovery: Record<string, unknown>): string[] =>
  validateMasakari(resolveMasakari(recovery), { hosts: HOSTS, aggregates: [] });

describe('Masakari knobs: the upstream defaults (masakari/conf/*.py, masakarimonitors/conf/host.py)', () => {
  it('resolves an empty block to the upstream defaults', () => {
    const c = resolveMasakari({});
    expect(c.monitor).toMatchObject({ intervalMs: 60_000, samples: 1, stonithWaitMs: 30_000, disableIpmiCheck: false,
      restrictToRemotes: false, ipmiTimeoutMs: 5000, ipmiRetryMax: 3, ipmiRetryIntervalMs: 10_000, apiRetryMax: 12, apiRetryIntervalMs: 10_000 });
    expect(c.api).toMatchObject({ notificationDelayMaxMs: 5000, coordinationBackend: 'none', duplicateIntervalMs: 180_000 });
    expect(c.engine).toMatchObject({ waitAfterServiceUpdateMs: 180_000, waitAfterEvacuationMs: 90_000, verifyIntervalMs: 1000,
      waitAfterPowerOffMs: 180_000, threads: 3, processUnfinishedIntervalMs: 120_000, retryNewIntervalMs: 60_000,
      checkExpiredIntervalMs: 600_000, expiredMs: 86_400_000, evacuateAllInstances: true, ignoreInstancesInErrorState: false,
      haEnabledKey: 'HA_Enabled', addReservedHostToAggregate: false, serviceDisableReason: 'Masakari detected host failed.' });
    expect(c.segments).toEqual([{ name: 'segment-1', recoveryMethod: 'auto', enabled: true, hosts: 'all', reservedHosts: [] }]);
    expect(validate({})).toEqual([]);
  });

  it('every knob of the schema has a default and a description naming its origin', () => {
    for (const [key, schema] of Object.entries(MASAKARI_CONFIG_SCHEMA)) {
      const s = schema as { default?: unknown; description?: string };
      expect(s.default, key).toBeDefined();
      expect(s.description, key).toMatch(/masakari|deployment|model/);
    }
    expect(masakariDesign.capabilities).toMatchObject({ pacemakerFencing: 'power', evacuation: 'automatic', honoursOptIn: true });
  });

  it('a duration out of bounds names the key path and the range', () => {
    expect(validate({ monitoringInterval: '0s' })).toEqual(['monitoringInterval: expected a duration from 1s to 1h, found 0s']);
    expect(validate({ waitPeriodAfterServiceUpdate: '2h' })).toEqual(['waitPeriodAfterServiceUpdate: expected a duration from 0s to 1h, found 2h']);
  });

  it('a recovery method that needs reserved hosts without any is refused, with the key path', () => {
    expect(validate({ segments: [{ name: 's', recoveryMethod: 'reserved_host' }] }))
      .toEqual(['segments[0].reservedHosts: recoveryMethod reserved_host needs at least one reserved host, found none']);
    expect(validate({ segments: [{ name: 's', recoveryMethod: 'rh_priority', reservedHosts: ['compute-3'] }] })).toEqual([]);
  });

  it('segment hosts must be computes of the topology, each in one segment', () => {
    expect(validate({ segments: [{ name: 'a', hosts: ['compute-1', 'compute-7'] }, { name: 'b', hosts: ['compute-1'] }] })).toEqual([
      'segments[0]: host compute-7 is not a compute of the topology',
      'segments[1]: host compute-1 is already in segment a (a Masakari host belongs to one segment)',
    ]);
  });
});
