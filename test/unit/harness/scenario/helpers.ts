import { expect } from 'vitest';
import { IhasimError, type ErrorCode, type ErrorDetail } from '../../../../harness/errors.js';
import { parseScenario } from '../../../../harness/scenario/index.js';
import type { ScenarioSpec } from '../../../../sim/scenario-spec.js';

/** The smallest valid scenario, to which tests append YAML. */
export const HEADER = 'ihasim: 1\nname: t\nduration: 1h\n';

/** A small cloud: 4 computes over 2 racks and 2 zones, a flavor, an image, 4 servers. */
export const SMALL = `${HEADER}topology:
  controllers: 3
  computes:
    - { name: "compute-{1..4}", rack: "r{1..2}", az: "az{1..2}" }
flavors:
  small: { vcpus: 1, ramMb: 1024, diskGb: 10 }
images:
  cirros: {}
servers:
  - { name: "web-{1..4}", flavor: small, image: cirros }
`;

/** Parses, expecting success. */
export function ok(text: string): ScenarioSpec {
  return parseScenario(text, 'test.yaml');
}

/** Parses, expecting an IhasimError with this code; returns it. */
export function fails(text: string, code: ErrorCode): IhasimError {
  try {
    parseScenario(text, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(IhasimError);
    const e = err as IhasimError;
    expect(e.code, JSON.stringify(e.details, null, 2)).toBe(code);
    expect(e.details.length).toBeGreaterThan(0);
    return e;
  }
  throw new Error('expected the scenario to be rejected');
}

/** The one detail whose path is `path` (fails when there is none). */
export function detailAt(err: IhasimError, path: string): ErrorDetail {
  const d = err.details.find((x) => x.path === path);
  expect(d, `no detail at ${path}: ${JSON.stringify(err.details, null, 2)}`).toBeDefined();
  return d!;
}
