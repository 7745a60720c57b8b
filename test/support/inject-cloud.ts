/**
 * A served staging cloud for the `ihasim inject` tests: `ihasim serve` in-process (Keystone, Nova, an IPMI BMC
 * and an SSH server per compute), with secrets that are easy to grep for, and a campaign file pointing at it.
 * compute-05 and -06 are in another rack and AZ; compute-06 is not allowed. Two canaries, on compute-03 and -04,
 * heartbeat (serve's canary emulation) to the collector port every campaign names.
 *
 * With `design: 'instanceha' | 'no-fence'` (the end-to-end campaign of test/unit/harness/inject/inject-e2e.test.ts)
 * the served world recovers by itself: Pacemaker fences through the world's own BMCs (the same ones inject powers
 * off), capacity waits in rack r2, the canaries' flavor m1.small carries `evacuable: "true"` and every canary is on
 * shared storage (an evacuation rebuilds from the same disk). Timings, all simulated, chosen so one recovery fits
 * in a few seconds of wall time at speed 20 (a simulated minute is 3 s of wall time) while staying ordered like a
 * real cloud's: Pacemaker's remote monitor 5 s + 5 s timeout (default 20 s + 30 s: detection alone would take
 * 2.5 s of wall time), guest boot 5–10 s (default lognormal median 30 s, p99 90 s: a slow tail would stretch the
 * campaign), host boot 10–20 s (default 2–4 min: the powered-on rack would need 12 s of wall time to be back).
 * Nova's service_down_time stays 60 s (3 s of wall time), so no-fence still waits for Nova to see a host down.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type ServeHandle } from '../../harness/serve/serve.js';
import { serveSpec, SERVE_SCENARIO_YAML } from './serve-scenario.js';
import { freePort } from '../../harness/free-port.js';
import { generateEd25519KeyPair } from '../../harness/serve/ssh/ssh-keys.js';

/** The BMC password of every served compute: only the environment knows it. */
export const BMC_SECRET = 'Bmc-S3cret-7f1d2a';
export const BMC_PASSWORD_ENV = 'IHASIM_TEST_BMC_PASSWORD';
/** Keystone's password of serve's admin user (harness/serve/openstack/options.ts DEFAULT_IDENTITY). */
export const KEYSTONE_SECRET = 'secret';

/** Which design the served world runs; `external` (the default): nothing inside recovers. */
export type InjectCloudDesign = 'external' | 'instanceha' | 'no-fence';

export interface InjectCloudOptions {
  design?: InjectCloudDesign;
  /** The hosts of canary-1, canary-2, … (default compute-03 and -04). */
  canaryHosts?: string[];
  /** Every host allowed in the campaign's inventory (default: compute-06 is not). */
  allowAll?: boolean;
}

const RECOVERING_CONFIG = `config:
  pacemaker: { remoteMonitorInterval: 5s, remoteMonitorTimeout: 5s }
  guest: { bootTime: { uniform: [5s, 10s] } }
  host: { boot: { uniform: [10s, 20s] } }
`;

const yaml = (collectorPort: number, o: Required<InjectCloudOptions>) => {
  const storage = o.design === 'external' ? '' : ' storage: shared,';
  const canaries = o.canaryHosts.map((host, i) => `  - { name: "canary-${i + 1}", flavor: m1.small, image: cirros, host: ${host},${storage} metadata: { ihasim_collector: "http://127.0.0.1:${collectorPort}" } }`).join('\n');
  const recovery = o.design === 'external' ? 'recovery: { policy: external }' : `${RECOVERING_CONFIG}recovery: { policy: ${o.design} }`;
  return canariesAndRecovery(collectorPort).replace(/  - \{ name: "canary-\{1\.\.2\}".*\n/, `${canaries}\n`).replace('recovery: { policy: external }', recovery);
};

const canariesAndRecovery = (collectorPort: number) => SERVE_SCENARIO_YAML.replace(
  '    - { name: "compute-{01..06}", vcpus: 16, ramMb: 65536, diskGb: 1000 }',
  `    - { name: "compute-{01..04}", rack: r1, az: az1, vcpus: 16, ramMb: 65536, diskGb: 1000, bmc: { password: "${BMC_SECRET}" } }
    - { name: "compute-{05..06}", rack: r2, az: az2, vcpus: 16, ramMb: 65536, diskGb: 1000, bmc: { password: "${BMC_SECRET}" } }`,
).replace('recovery: { policy: external }', `  - { name: "canary-{1..2}", flavor: m1.small, image: cirros, host: "compute-0{3..4}", metadata: { ihasim_collector: "http://127.0.0.1:${collectorPort}" } }
recovery: { policy: external }`);

export interface InjectCloud {
  serve: ServeHandle;
  dir: string;
  keyFile: string;
  /** The environment the inject command needs: the BMC password and the clouds.yaml with Keystone's. */
  env: Record<string, string>;
  truth(): Promise<{ hosts: { name: string; power: string; state: string; nicsDown: string[]; services: { novaCompute: string } }[] }>;
  /** A campaign file with this cloud's inventory and the given faults/limits YAML; returns its path. */
  campaign(faultsYaml: string, extra?: string): string;
}

export async function startInjectCloud(options: InjectCloudOptions = {}): Promise<InjectCloud> {
  const o: Required<InjectCloudOptions> = { design: 'external', canaryHosts: ['compute-03', 'compute-04'], allowAll: false, ...options };
  const dir = mkdtempSync(join(tmpdir(), 'ihasim-inject-'));
  const keys = generateEd25519KeyPair();
  const keyFile = join(dir, 'id_ed25519');
  writeFileSync(keyFile, keys.private, { mode: 0o600 });
  const collectorPort = await freePort();
  const serve = await startServe({ spec: serveSpec(yaml(collectorPort, o)), speed: 20, ssh: { basePort: 0, authorizedKeys: keys.public } });
  const clouds = join(dir, 'clouds.yaml');
  writeFileSync(clouds, serve.endpoints.cloudsYaml);
  const env = { [BMC_PASSWORD_ENV]: BMC_SECRET, OS_CLIENT_CONFIG_FILE: clouds };
  const inventory = serve.endpoints.nodes.map((n) => {
    const rack = n.name <= 'compute-04' ? 'r1' : 'r2';
    const az = rack === 'r1' ? 'az1' : 'az2';
    return `  ${n.name}:
    allowed: ${o.allowAll || n.name !== 'compute-06'}
    rack: ${rack}
    az: ${az}
    bmc: { kind: ipmi, address: 127.0.0.1, port: ${n.ipmiPort}, username: admin, passwordEnv: ${BMC_PASSWORD_ENV} }
    ssh: { address: 127.0.0.1, port: ${n.sshPort}, user: root, keyFile: ${keyFile} }`;
  }).join('\n');
  let count = 0;
  return {
    serve, dir, keyFile, env,
    truth: async () => (await (await fetch(`${serve.endpoints.control}/truth`)).json()) as Awaited<ReturnType<InjectCloud['truth']>>,
    campaign: (faultsYaml, extra = '') => {
      const file = join(dir, `campaign-${++count}.yaml`);
      writeFileSync(file, `ihasim: 1
name: served-staging
cloud: { name: ihasim }
inventory:
${inventory}
faults:
${faultsYaml}
canaries: { servers: ["canary-*"], collector: { bind: 127.0.0.1, port: ${collectorPort} }, interval: 250ms }
${extra.includes('limits:') ? '' : 'limits: { maxHostsDown: 2, maxAzFraction: 0.5, apiRatePerSecond: 50, pollInterval: 300ms, wallClockLimit: 2m }\n'}${extra.includes('settle:') ? '' : 'settle: 1s\n'}${extra}`);
      return file;
    },
  };
}

/** Runs `fn` with `env` set in process.env, restoring it after. */
export async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
