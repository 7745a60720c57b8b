/**
 * The scenario the `ihasim serve` tests run: 6 computes, 12 servers pinned to compute-01..04 (three each:
 * two with an `evacuable=true` flavor, one without), compute-05 and -06 empty to take evacuations, and
 * `recovery.policy: external` so that nothing inside the world recovers: the agents under test do.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario } from '../../harness/scenario/index.js';
import type { ScenarioSpec } from '../../sim/scenario-spec.js';

export const SERVE_SCENARIO_YAML = `ihasim: 1
name: serve-external
description: A small cloud left to external agents (fence_ipmilan, fence_compute, fence_evacuate).
duration: 2h
seed: 11
topology:
  controllers: 3
  computes:
    - { name: "compute-{01..06}", vcpus: 16, ramMb: 65536, diskGb: 1000 }
flavors:
  m1.small: { vcpus: 1, ramMb: 2048, diskGb: 20, extraSpecs: { evacuable: "true" } }
  m1.medium: { vcpus: 2, ramMb: 4096, diskGb: 40, extraSpecs: { evacuable: "true" } }
  m1.large: { vcpus: 4, ramMb: 8192, diskGb: 80 }
images:
  cirros: {}
servers:
  - { name: "web-{01..04}", flavor: m1.small, image: cirros, host: "compute-0{1..4}" }
  - { name: "app-{01..04}", flavor: m1.medium, image: cirros, host: "compute-0{1..4}" }
  - { name: "db-{01..04}", flavor: m1.large, image: cirros, host: "compute-0{1..4}" }
recovery: { policy: external }
`;

/** The scenario, loaded (the YAML above unless a variant is given). */
export function serveSpec(yaml: string = SERVE_SCENARIO_YAML): ScenarioSpec {
  return parseScenario(yaml, 'serve-external.yaml');
}

/** Writes the scenario to a temp file (for the CLI) and returns its path. */
export function writeServeScenario(yaml: string = SERVE_SCENARIO_YAML): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ihasim-serve-')), 'serve-external.yaml');
  writeFileSync(file, yaml);
  return file;
}
