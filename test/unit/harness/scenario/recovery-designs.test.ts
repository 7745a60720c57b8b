import { describe, expect, test } from 'vitest';
import { buildWorld } from '../../../../sim/build-world.js';
import type { DesignDefinition } from '../../../../sim/recovery/design.js';
import { DESIGNS, designNames, registerDesign } from '../../../../sim/recovery/designs/registry.js';
import { DEFECTS, defectNames } from '../../../../harness/check/defects.js';
import { validateDefects } from '../../../../harness/cli/defect-flags.js';
import { HEADER, SMALL, detailAt, fails, ok } from './helpers.js';

interface KnobbyConfig {
  retries: number;
  reserved: string[];
}

/**
 * A design with knobs of its own, registered before the first scenario of this file is validated (each test file
 * runs in its own process, so no other file sees it).
 */
const resolvedWith: KnobbyConfig[] = [];
const defectSeen: boolean[] = [];
const knobby: DesignDefinition<KnobbyConfig> = {
  name: 'knobby',
  summary: 'A test design with knobs.',
  capabilities: { pacemakerFencing: 'none', evacuation: 'automatic', needsQuorum: false, fencesBeforeEvacuating: true, honoursOptIn: true },
  configSchema: {
    retries: { type: 'integer', minimum: 1, maximum: 10, default: 3, description: 'Retries (upstream `max_retries`).' },
    reserved: { type: 'array', items: { type: 'string' }, default: [], description: 'Reserved hosts.' },
  },
  validate: (config, context) => [
    ...(config.retries % 2 === 0 ? ['retries: must be odd'] : []),
    ...config.reserved.filter((h) => !context.hosts.some((x) => x.name === h)).map((h) => `no compute named ${h}`),
  ],
  resolve: (recovery) => ({ retries: recovery['retries'] as number, reserved: recovery['reserved'] as string[] }),
  defects: [{ name: 'knobby-trusts-nova', source: 'a test bug', change: 'evacuates before fencing' }],
  create: (ports, config) => {
    resolvedWith.push(config);
    defectSeen.push(ports.hasDefect('knobby-trusts-nova'));
    return { start: () => {}, hostBooted: (h) => ports.lifecycle.releaseNovaCompute(h) };
  },
};
registerDesign(knobby as DesignDefinition);

describe('scenario: the recovery block is generated from the design registry', () => {
  test('a design\'s own keys get their defaults, are kept in recovery.options and reach its resolve', () => {
    const spec = ok(`${SMALL}recovery: { policy: knobby }\n`);
    expect(spec.recovery.options).toEqual({ retries: 3, reserved: [] });
    buildWorld(spec, { seed: 1 });
    expect(resolvedWith.at(-1)).toEqual({ retries: 3, reserved: [] });
  });

  test('the designs without keys of their own keep recovery as it was (no options)', () => {
    expect(ok(`${SMALL}recovery: { policy: no-fence }\n`).recovery.options).toBeUndefined();
  });

  test('an unknown knob is a schema error at its key path, listing the keys of that policy', () => {
    const d = detailAt(fails(`${SMALL}recovery: { policy: knobby, zzz: 1 }\n`, 'IHASIM_SCENARIO_SCHEMA'), 'recovery.zzz');
    expect(d.message).toBe('unknown key `zzz`');
    expect(d.expected).toBe('one of policy, forceDown, instanceFilter, sharedStorage, evacuateLocal, retries, reserved');
  });

  test('another design\'s knob is unknown under this policy, with a hint naming its design', () => {
    const d = detailAt(fails(`${HEADER}recovery: { policy: instanceha, retries: 3 }\n`, 'IHASIM_SCENARIO_SCHEMA'), 'recovery.retries');
    expect(d.message).toContain('unknown key `retries`');
    expect(d.hint).toBe('`retries` is a key of policy `knobby`, not of `instanceha`');
  });

  test('a knob out of its bounds is a schema error with the allowed range (and nothing else)', () => {
    const err = fails(`${SMALL}recovery: { policy: knobby, retries: 11 }\n`, 'IHASIM_SCENARIO_SCHEMA');
    const d = detailAt(err, 'recovery.retries');
    expect(d.message).toBe('too large');
    expect(d.expected).toBe('a number ≤ 10');
    expect(err.details).toHaveLength(1);
  });

  test('the design\'s validate messages are semantic errors (exit 3), at the key they name or at recovery', () => {
    const err = fails(`${SMALL}recovery: { policy: knobby, retries: 4, reserved: [compute-9] }\n`, 'IHASIM_SCENARIO_SEMANTIC');
    expect(detailAt(err, 'recovery.retries').message).toBe('must be odd');
    expect(detailAt(err, 'recovery').message).toBe('no compute named compute-9');
  });

  test('the policy enum lists every registered design', () => {
    const d = detailAt(fails(`${HEADER}recovery: { policy: knoby }\n`, 'IHASIM_SCENARIO_SCHEMA'), 'recovery.policy');
    expect(d.message).toContain('did you mean `knobby`');
    expect(d.expected).toBe(`one of ${designNames().join(', ')}`);
    expect(designNames().at(-1)).toBe('knobby');
  });
});

describe('defects: the catalogue is the core one plus every design\'s', () => {
  test('a design\'s defect is catalogued after the core ones, accepted by --defect and seen by its ports', () => {
    expect(defectNames()).toEqual([...DEFECTS.map((d) => d.name), ...DESIGNS.flatMap((d) => (d.defects ?? []).map((x) => x.name))]);
    expect(defectNames().at(-1)).toBe('knobby-trusts-nova');
    expect(validateDefects(['knobby-trusts-nova'])).toEqual(['knobby-trusts-nova']);
    const spec = ok(`${SMALL}recovery: { policy: knobby }\n`);
    buildWorld(spec, { seed: 1, defects: ['knobby-trusts-nova'] });
    buildWorld(spec, { seed: 1 });
    expect(defectSeen.slice(-2)).toEqual([true, false]);
  });
});
