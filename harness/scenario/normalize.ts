import type { ScenarioSpec } from '../../sim/scenario-spec.js';
import { mergeConfig } from './config-merge.js';
import { readDuration } from './distribution.js';
import { readFaults } from './faults.js';
import { readCheck } from './check-block.js';
import type { Issues } from './issues.js';
import type { RawScenario } from './raw-types.js';
import { readExpect, readRecovery, validateRecovery } from './recovery-expect.js';
import { readServers } from './servers.js';
import { controllerNames, readTopology, stringMap } from './topology.js';

/** Flavors and images with their maps as strings. */
function readCatalog(raw: RawScenario): Pick<ScenarioSpec, 'flavors' | 'images' | 'serverGroups'> {
  const flavors = Object.fromEntries(Object.entries(raw.flavors).map(([name, f]) =>
    [name, { vcpus: f.vcpus, ramMb: f.ramMb, diskGb: f.diskGb, extraSpecs: stringMap(f.extraSpecs) }]));
  const images = Object.fromEntries(Object.entries(raw.images).map(([name, im]) =>
    [name, { sizeMb: im.sizeMb, properties: stringMap(im.properties), tags: [...im.tags] }]));
  const serverGroups = Object.fromEntries(Object.entries(raw.serverGroups).map(([name, g]) => [name, { policy: g.policy }]));
  return { flavors, images, serverGroups };
}

/**
 * Turns schema-valid scenario data into a `ScenarioSpec`: durations in ms, brace ranges expanded and spread,
 * references checked, fault targets resolved, config merged over the defaults. Records every problem in
 * `issues`; the result is only meaningful when none was recorded.
 */
export function normalizeScenario(raw: RawScenario, issues: Issues, file?: string): ScenarioSpec {
  const durationMs = readDuration(raw.duration, ['duration'], issues);
  if (durationMs <= 0) issues.add('semantic', ['duration'], 'the run must last longer than 0');
  const topology = readTopology(raw.topology, issues);
  const catalog = readCatalog(raw);
  const servers = readServers(raw.servers, {
    flavors: Object.keys(catalog.flavors), images: Object.keys(catalog.images), groups: Object.keys(catalog.serverGroups), topology,
  }, issues);
  const world = { computes: topology.computes, controllers: controllerNames(topology.controllers), servers: servers.map((s) => s.name) };
  const spec: ScenarioSpec = {
    name: raw.name,
    description: raw.description,
    durationMs,
    seed: raw.seed,
    topology,
    ...catalog,
    servers,
    config: mergeConfig(raw.config, issues),
    recovery: readRecovery(raw.recovery),
    faults: readFaults(raw.faults, durationMs > 0 ? durationMs : Infinity, world, issues),
    expect: readExpect(raw.expect, issues),
    check: { kinds: [], hosts: [], controllers: [], servers: [], windowMs: [0, 0], maxFaults: 1, maxConcurrent: 1, maxDurationMs: 0, gridMs: 1, recoveryBoundMs: 1 },
  };
  spec.check = readCheck(raw.check, world, spec.expect.recoveryBoundMs, issues);
  validateRecovery(spec, spec.config, issues);
  if (file !== undefined) spec.file = file;
  return spec;
}
