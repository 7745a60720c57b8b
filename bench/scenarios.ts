/** Scenario texts for the benchmarks, generated so that sizes can vary. */

/** The part every benchmark scenario shares: one evacuable flavor, one image, `count` servers, instance HA. */
function catalogAndServers(count: number): string {
  return `flavors:
  m1.small: { vcpus: 1, ramMb: 2048, diskGb: 20, extraSpecs: { evacuable: "true" } }
images:
  cirros: { properties: {} }
servers:
  - { name: "vm-{1..${count}}", flavor: m1.small, image: cirros, storage: shared }
recovery: { policy: instanceha, forceDown: true }
`;
}

export function rackLossYaml(opts: { hostsPerRack: number; perHost: number }): string {
  const hosts = opts.hostsPerRack * 2;
  return `ihasim: 1
name: bench-rack-loss-${hosts}
description: benchmark, 2 racks, one loses power
duration: 30m
seed: 1
topology:
  controllers: 3
  computes:
    - { name: "compute-{01..${String(hosts).padStart(2, '0')}}", rack: "r{1..2}", vcpus: 64, ramMb: 262144, diskGb: 4000 }
${catalogAndServers(hosts * opts.perHost)}faults:
  - { at: 5m, kind: host-power-loss, target: { rack: r1 } }
expect:
  invariants: all
  recoveryBound: 10m
`;
}

export function cloudYaml(opts: { hosts: number; perHost: number; zones: number; duration: string; faults: string }): string {
  const width = String(opts.hosts).length;
  return `ihasim: 1
name: bench-cloud-${opts.hosts}
description: benchmark cloud
duration: ${opts.duration}
seed: 1
topology:
  controllers: 3
  computes:
    - { name: "compute-{${'1'.padStart(width, '0')}..${opts.hosts}}", az: "az{1..${opts.zones}}", rack: "r{1..${opts.hosts / 20}}", vcpus: 64, ramMb: 262144, diskGb: 4000 }
${catalogAndServers(opts.hosts * opts.perHost)}faults:
${opts.faults || '  []'}
expect:
  invariants: all
`;
}
