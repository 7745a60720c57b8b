import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../sim/config.js';
import { HEADER, detailAt, fails, ok } from './helpers.js';

const withBoot = (dist: string) => `${HEADER}config:\n  host:\n    boot: ${dist}\n`;

describe('scenario: distributions', () => {
  test.each([
    ['90s', { kind: 'const', value: 90_000 }],
    ['1500', { kind: 'const', value: 1500 }],
    ['{ uniform: [1s, 4s] }', { kind: 'uniform', min: 1000, max: 4000 }],
    ['{ uniform: [2s, 2s] }', { kind: 'uniform', min: 2000, max: 2000 }],
    ['{ normal: { mean: 30s, sd: 5s } }', { kind: 'normal', mean: 30_000, sd: 5000 }],
    ['{ lognormal: { median: 30s, p99: 90s } }', { kind: 'lognormal', median: 30_000, p99: 90_000 }],
    ['{ exponential: { mean: 2m } }', { kind: 'exponential', mean: 120_000 }],
    ['{ choice: [1s, 2s, 500ms] }', { kind: 'choice', values: [1000, 2000, 500] }],
  ])('%s becomes a Dist in ms', (text, dist) => {
    expect(ok(withBoot(text)).config.host.bootMs).toEqual(dist);
  });

  test.each([
    ['{ uniform: [4s, 1s] }', 'config.host.boot.uniform', 'reversed'],
    ['{ lognormal: { median: 90s, p99: 30s } }', 'config.host.boot.lognormal', 'p99 must be ≥ its median'],
    ['{ exponential: { mean: 0s } }', 'config.host.boot.exponential.mean', 'must be > 0'],
  ])('rejects %s', (text, path, words) => {
    expect(detailAt(fails(withBoot(text), 'IHASIM_SCENARIO_SCHEMA'), path).message).toContain(words);
  });

  test.each([
    ['{ choice: [] }', 'config.host.boot.choice', 'too few items'],
    ['{ uniform: [1s] }', 'config.host.boot.uniform', 'too few items'],
    ['{ unifrom: [1s, 2s] }', 'config.host.boot.unifrom', 'did you mean `uniform`'],
    ['{ uniform: [1s, 2s], normal: { mean: 1s, sd: 1s } }', 'config.host.boot', 'too many keys'],
    ['{ normal: { mean: 1s } }', 'config.host.boot.normal', 'missing key `sd`'],
    ['true', 'config.host.boot', 'wrong type'],
  ])('schema rejects %s', (text, path, words) => {
    expect(detailAt(fails(withBoot(text), 'IHASIM_SCENARIO_SCHEMA'), path).message).toContain(words);
  });

  test('config keys not given keep DEFAULT_CONFIG, given ones override (deep merge)', () => {
    const spec = ok(`${HEADER}config:
  nova: { reportInterval: 5s, cpuAllocationRatio: 16 }
  fencing: { redfish: { powerWait: 3s } }
  pacemaker: { fenceAction: "off" }
`);
    expect(spec.config.nova.reportIntervalMs).toBe(5000);
    expect(spec.config.nova.cpuAllocationRatio).toBe(16);
    expect(spec.config.nova.serviceDownTimeMs).toBe(DEFAULT_CONFIG.nova.serviceDownTimeMs);
    expect(spec.config.fencing.redfish.powerWaitMs).toBe(3000);
    expect(spec.config.fencing.redfish.actionTimeMs).toEqual(DEFAULT_CONFIG.fencing.redfish.actionTimeMs);
    expect(spec.config.pacemaker.fenceAction).toBe('off');
  });

  test('no config block gives exactly DEFAULT_CONFIG', () => {
    expect(ok(HEADER).config).toEqual(DEFAULT_CONFIG);
  });
});
