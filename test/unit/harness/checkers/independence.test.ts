import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../../harness/scenario/index.js';
import { optedIn } from '../../../../harness/checkers/eligibility.js';

const checkers = join(import.meta.dirname, '../../../../harness/checkers');

describe('the checkers judge on their own', () => {
  it('no checker imports the recovery logic it judges (sim/recovery)', () => {
    for (const file of readdirSync(checkers).filter((f) => f.endsWith('.ts'))) {
      const imports = readFileSync(join(checkers, file), 'utf8').split('\n').filter((l) => /^import .* from '.*sim\/recovery\//.test(l));
      expect(imports, file).toEqual([]);
    }
  });

  const scenario = (recovery: string, flavors = '{ f: { vcpus: 1, ramMb: 512, diskGb: 1 }, g: { vcpus: 1, ramMb: 512, diskGb: 1, extraSpecs: { evacuable: "true" } } }') => parseScenario(`ihasim: 1
name: t
duration: 10m
topology: { controllers: 3, computes: [{ name: c1, vcpus: 8, ramMb: 8192, diskGb: 100 }] }
flavors: ${flavors}
images: { i: { properties: {} }, e: { properties: {}, tags: [evacuable] } }
servers:
  - { name: plain, flavor: f, image: i }
  - { name: by-flavor, flavor: g, image: i }
  - { name: by-image, flavor: f, image: e }
  - { name: tagged, flavor: f, image: i, tags: [automatic-recovery], metadata: { HA_Enabled: "True" } }
recovery: ${recovery}
`);
  const chosen = (recovery: string, flavors?: string) => {
    const spec = scenario(recovery, flavors);
    return spec.servers.filter(optedIn(spec)).map((s) => s.name);
  };

  it('opt-in is read from the scenario: evacuable flavors and images, tags, metadata, all', () => {
    expect(chosen('{ policy: instanceha, instanceFilter: evacuable }')).toEqual(['by-flavor', 'by-image']);
    expect(chosen('{ policy: instanceha, instanceFilter: "tag:automatic-recovery" }')).toEqual(['tagged']);
    expect(chosen('{ policy: instanceha, instanceFilter: "metadata:HA_Enabled" }')).toEqual(['tagged']);
    expect(chosen('{ policy: instanceha, instanceFilter: all }')).toHaveLength(4);
  });
});
