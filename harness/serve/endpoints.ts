/**
 * What `ihasim serve` listens on, as `GET /ihasim/v1/endpoints` and the start-up banner show it: the OpenStack
 * URLs and credentials, the control API, and per compute its IPMI port and Redfish System.
 */
import type { IpmiServer } from './bmc/ipmi/index.js';
import type { RedfishServer } from './bmc/redfish/index.js';
import { CONTROL_PREFIX } from './control-api.js';
import { serviceUrls } from './openstack/options.js';
import { CLOUD_NAME, cloudsYaml, osEnv, renderExports, type ClientIdentity } from './client-config.js';
import type { ServeSession } from './serve-session.js';
import type { SshServers } from './ssh/ssh-server.js';
import { ADMIN_NIC, NIC_NETWORKS } from './ssh/vocabulary.js';

export interface NodeEndpoints {
  name: string;
  /** The fence device Pacemaker would use for it; both interfaces are served either way. */
  bmcKind: 'ipmi' | 'redfish';
  username: string;
  password: string;
  ipmiPort: number | null;
  /** `--systems-uri` for fence_redfish (without it, fence_redfish picks the last System the credentials open). */
  redfishSystem: string;
  /** Its SSH server (`--ssh-port-base`), or null when serve runs without SSH. */
  sshPort: number | null;
}

/** The computes' SSH servers: one host key for all, the accepted methods, and which NIC carries which network. */
export interface SshEndpoints {
  hostKeyFingerprint: string;
  /** OpenSSH public form, for a known_hosts line (`[127.0.0.1]:PORT ssh-ed25519 AAAA…`). */
  hostPublicKey: string;
  methods: readonly string[];
  nics: Record<string, string>;
}

export interface ServeEndpoints {
  host: string;
  port: number;
  openstack: { authUrl: string; identityV3: string; compute: string; image: string; username: string; password: string; project: string; domain: string };
  control: string;
  redfish: { url: string };
  /** Null when serve runs without SSH (no `--ssh-port-base`). */
  ssh: SshEndpoints | null;
  nodes: NodeEndpoints[];
  /** `OS_*` variables for the OpenStack clients (`renderExports` prints them as `export` lines). */
  env: Record<string, string>;
  /** A clouds.yaml with one cloud, `ihasim` (for `openstack --os-cloud ihasim`). */
  cloudsYaml: string;
}

export function describeEndpoints(
  session: ServeSession,
  servers: { host: string; port: number; ipmi: IpmiServer; redfish: RedfishServer; ssh: SshServers | null; region: string },
): ServeEndpoints {
  const { host, port, ipmi, redfish, ssh } = servers;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const urls = serviceUrls(base);
  const identity: ClientIdentity = { authUrl: urls.identity, username: 'admin', password: 'secret', project: 'admin', domain: 'Default', region: servers.region };
  return {
    host, port,
    openstack: { authUrl: urls.identity, identityV3: urls.identityV3, compute: urls.computeV21, image: urls.image, username: 'admin', password: 'secret', project: 'admin', domain: 'Default' },
    control: `${base}${CONTROL_PREFIX}`,
    redfish: { url: redfish.url },
    ssh: ssh ? { hostKeyFingerprint: ssh.hostKeyFingerprint, hostPublicKey: ssh.hostPublicKey, methods: ssh.methods, nics: { [ADMIN_NIC]: 'admin (ssh; never cut)', ...NIC_NETWORKS } } : null,
    nodes: session.world.hostList.map((h) => ({
      name: h.name, bmcKind: h.spec.bmc.kind, username: h.spec.bmc.username, password: h.spec.bmc.password,
      ipmiPort: ipmi.ports.get(h.name) ?? null, redfishSystem: `/redfish/v1/Systems/${h.name}`,
      sshPort: ssh?.ports.get(h.name) ?? null,
    })),
    env: osEnv(identity),
    cloudsYaml: cloudsYaml(identity),
  };
}

/** The start-up banner: one line per endpoint, then one per node. */
export function renderEndpoints(e: ServeEndpoints): string {
  const o = e.openstack;
  const lines = [
    `keystone   ${o.authUrl}   (user ${o.username} / ${o.password}, project ${o.project}, domain ${o.domain})`,
    `nova       ${o.compute}`,
    `glance     ${o.image}`,
    `control    ${e.control}   (truth, instances, faults, violations, report, events, metrics)`,
    `dashboard  ${e.control}/dashboard   (live page; with --control-token add #token=<token>)`,
    `redfish    ${e.redfish.url}   (--ssl-insecure; --systems-uri per node below)`,
  ];
  if (e.ssh) lines.push(`ssh        host key ${e.ssh.hostKeyFingerprint}   (${e.ssh.methods.join(', ')}; exec only; nics ${Object.entries(e.ssh.nics).map(([nic, net]) => `${nic}=${net.split(' ')[0]}`).join(' ')})`);
  for (const n of e.nodes) {
    const ssh = n.sshPort !== null ? `   ssh -p ${n.sshPort} root@${e.host}` : '';
    lines.push(`  ${n.name.padEnd(12)} ipmi ${e.host}:${n.ipmiPort ?? '-'}   redfish ${n.redfishSystem}   bmc ${n.username}/${n.password} (${n.bmcKind})${ssh}`);
  }
  lines.push('', '# OpenStack clients: paste into a shell (also GET /ihasim/v1/endpoints, field env)', renderExports(e.env));
  lines.push('', `# or as clouds.yaml (openstack --os-cloud ${CLOUD_NAME}; field cloudsYaml)`, e.cloudsYaml.trimEnd());
  return lines.join('\n');
}
