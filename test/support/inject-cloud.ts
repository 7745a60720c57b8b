/**
 * A served staging cloud for the `ihasim inject` tests: `ihasim serve` in-process (Keystone, Nova, an IPMI BMC
 * and an SSH server per compute), with secrets that are easy to grep for, and a campaign file pointing at it.
 * compute-05 and -06 are in another rack and AZ; compute-06 is not allowed. Two canaries, on compute-03 and -04,
 * heartbeat (serve's canary emulation) to the collector port every campaign names.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { startServe, type ServeHandle } from '../../harness/serve/serve.js';
import { serveSpec, SERVE_SCENARIO_YAML } from './serve-scenario.js';

/** The BMC password of every served compute: only the environment knows it. */
export const BMC_SECRET = 'Bmc-S3cret-7f1d2a';
export const BMC_PASSWORD_ENV = 'IHASIM_TEST_BMC_PASSWORD';
/** Keystone's password of serve's admin user (harness/serve/openstack/options.ts DEFAULT_IDENTITY). */
export const KEYSTONE_SECRET = 'secret';

const yaml = (collectorPort: number) => SERVE_SCENARIO_YAML.replace(
  '    - { name: "compute-{01..06}", vcpus: 16, ramMb: 65536, diskGb: 1000 }',
  `    - { name: "compute-{01..04}", rack: r1, az: az1, vcpus: 16, ramMb: 65536, diskGb: 1000, bmc: { password: "${BMC_SECRET}" } }
    - { name: "compute-{05..06}", rack: r2, az: az2, vcpus: 16, ramMb: 65536, diskGb: 1000, bmc: { password: "${BMC_SECRET}" } }`,
).replace('recovery: { policy: external }', `  - { name: "canary-{1..2}", flavor: m1.small, image: cirros, host: "compute-0{3..4}", metadata: { ihasim_collector: "http://127.0.0.1:${collectorPort}" } }
recovery: { policy: external }`);

/** A port free right now, for the campaign's collector (the canaries' metadata names it before it listens). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface InjectCloud {
  serve: ServeHandle;
  dir: string;
  keyFile: string;
  /** The environment the inject command needs: the BMC password and the clouds.yaml with Keystone's. */
  env: Record<string, string>;
  truth(): Promise<{ hosts: { name: string; power: string; state: string; services: { novaCompute: string } }[] }>;
  /** A campaign file with this cloud's inventory and the given faults/limits YAML; returns its path. */
  campaign(faultsYaml: string, extra?: string): string;
}

export async function startInjectCloud(): Promise<InjectCloud> {
  const dir = mkdtempSync(join(tmpdir(), 'ihasim-inject-'));
  const keys = ssh2.utils.generateKeyPairSync('ed25519');
  const keyFile = join(dir, 'id_ed25519');
  writeFileSync(keyFile, keys.private, { mode: 0o600 });
  const collectorPort = await freePort();
  const serve = await startServe({ spec: serveSpec(yaml(collectorPort)), speed: 20, ssh: { basePort: 0, authorizedKeys: keys.public } });
  const clouds = join(dir, 'clouds.yaml');
  writeFileSync(clouds, serve.endpoints.cloudsYaml);
  const env = { [BMC_PASSWORD_ENV]: BMC_SECRET, OS_CLIENT_CONFIG_FILE: clouds };
  const inventory = serve.endpoints.nodes.map((n) => {
    const rack = n.name <= 'compute-04' ? 'r1' : 'r2';
    const az = rack === 'r1' ? 'az1' : 'az2';
    return `  ${n.name}:
    allowed: ${n.name !== 'compute-06'}
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
