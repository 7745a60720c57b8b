/**
 * The JSON Schema of an `ihasim inject` campaign file: which cloud, the hosts it may touch and how to reach their
 * BMC and SSH, the faults with their times, the canaries, the safety limits and what must hold (`expect:`, as in a
 * scenario). Credentials are named, never written: `passwordEnv` / `passwordFile` / `keyFile` only.
 */
import { EXPECT } from '../scenario/schema.js';
import { EXPECTED_KEYWORD, SHARED_DEFS, integer, object, ref, stringList, text, type JsonSchema } from '../scenario/schema-helpers.js';
import { LIVE_FAULT_KINDS } from './fault-catalog.js';

const nonEmpty = (description: string): JsonSchema => text(description, undefined, { minLength: 1 });
const port = (description: string, dflt?: number): JsonSchema => ({ ...integer(description, 1, dflt), maximum: 65535 });

/** A command template per fault kind: what to run over SSH, what undoes it, what reads the undo back. */
const commands = (description: string): JsonSchema => ({
  type: ['string', 'array'], minLength: 1, items: { type: 'string', minLength: 1 }, minItems: 1, description,
  [EXPECTED_KEYWORD]: 'a command or a list of commands',
});

const COMMAND_TEMPLATE = object('Commands for one fault kind over SSH; `{iface}`, `{network}`, `{host}` are filled in.', {
  do: commands('Command(s) that inject the fault, in order.'),
  undo: commands('Command(s) that undo it.'),
  verify: nonEmpty('Command whose exit status 0 means the undo took effect.'),
}, { required: ['do'] });

const BMC = object('How to reach the host\'s BMC. The password comes from an environment variable or a file, never inline.', {
  kind: { type: 'string', enum: ['ipmi', 'redfish'], description: '`ipmi` (IPMI v2.0 lanplus, UDP) or `redfish` (HTTPS).' },
  address: nonEmpty('BMC address (host name or IP).'),
  port: port('BMC port (default: 623 for IPMI, 443 for Redfish).'),
  username: nonEmpty('BMC user.'),
  passwordEnv: nonEmpty('Name of the environment variable holding the BMC password.'),
  passwordFile: nonEmpty('File holding the BMC password (trailing newline ignored).'),
  systemPath: nonEmpty('Redfish: the ComputerSystem URI (default: the only member of /redfish/v1/Systems).'),
  insecure: { type: 'boolean', default: false, description: 'Redfish: accept a self-signed certificate.' },
}, { required: ['kind', 'address', 'username'] });

const SSH = object('How to reach the host over SSH (public key authentication).', {
  address: nonEmpty('SSH address.'),
  port: port('SSH port.', 22),
  user: nonEmpty('SSH user (commands run through sudo unless the user is root).'),
  keyFile: nonEmpty('Private key file.'),
  sudo: { type: 'boolean', description: 'Prefix commands with `sudo -n` (default: when the user is not root).' },
  hostKey: text('SHA256 fingerprint the host key must have, as `ssh-keygen -lf` prints it.', undefined, { pattern: '^SHA256:[A-Za-z0-9+/]{43}$', [EXPECTED_KEYWORD]: '`SHA256:` and 43 base64 characters' }),
}, { required: ['address', 'user', 'keyFile'] });

const HOST = object('One host of the staging cloud.', {
  allowed: { type: 'boolean', description: 'Only hosts with `allowed: true` may be hit by a fault.' },
  rack: nonEmpty('Rack (targets by rack).'),
  az: nonEmpty('Availability zone (targets by az; `maxAzFraction`).'),
  bmc: BMC,
  ssh: SSH,
  interfaces: object('Interface of each network on this host (default mgmt=eth1, tenant=eth2, storage=eth3).', {
    mgmt: nonEmpty('Management network interface.'),
    tenant: nonEmpty('Tenant network interface.'),
    storage: nonEmpty('Storage network interface.'),
  }),
  commands: {
    type: 'object', propertyNames: { enum: [...LIVE_FAULT_KINDS] }, additionalProperties: COMMAND_TEMPLATE,
    description: 'Command templates overriding the defaults, per fault kind.', [EXPECTED_KEYWORD]: `a fault kind: ${LIVE_FAULT_KINDS.join(', ')}`,
  },
}, { required: ['allowed'] });

const FAULT = object('One fault: when, what, on which hosts (or servers), for how long.', {
  at: ref('duration', 'When, from the start of the campaign.'),
  kind: { type: 'string', enum: [...LIVE_FAULT_KINDS], description: 'Fault kind.' },
  target: nonEmpty('Hosts by name or glob (`compute-0{1..3}`, `compute-*`).'),
  rack: nonEmpty('Every host of this rack (a rack power loss).'),
  az: nonEmpty('Every host of this availability zone.'),
  server: nonEmpty('guest-panic: the server (name or UUID).'),
  network: { type: 'string', enum: ['mgmt', 'tenant', 'storage'], description: 'nic-down, network-cut: which network.' },
  duration: ref('duration', 'How long before the undo (absent: until the end of the campaign; guest-panic has none).'),
}, { required: ['at', 'kind'] });

const CLOUD = object('The OpenStack cloud to observe: a clouds.yaml entry, or the OS_* environment variables (Keystone v3).', {
  name: nonEmpty('clouds.yaml cloud name (searched in ./clouds.yaml, ~/.config/openstack, /etc/openstack, or OS_CLIENT_CONFIG_FILE).'),
  env: { type: 'boolean', description: 'Read OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME... from the environment.' },
  insecure: { type: 'boolean', default: false, description: 'Accept a self-signed TLS certificate.' },
});

const CANARIES = object('Canary servers whose heartbeats measure the outage users see.', {
  servers: stringList('Server names or globs.'),
  collector: object('The heartbeat collector the canaries POST to.', {
    bind: text('Address to listen on.', '0.0.0.0'),
    port: { ...integer('Port to listen on (0: pick one).', 0, 0), maximum: 65535 },
  }, { default: {} }),
  interval: ref('duration', 'Heartbeat period of the canaries.', '5s'),
}, { default: {} });

const LIMITS = object('Safety limits; the campaign is refused or aborted when it would break one.', {
  maxHostsDown: integer('Most hosts down at once.', 1, 1),
  maxAzFraction: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.5, description: 'Largest fraction of an AZ down at once.' },
  wallClockLimit: ref('duration', 'Abort after this long.', '1h'),
  apiRatePerSecond: { type: 'number', exclusiveMinimum: 0, default: 2, description: 'Most OpenStack API requests per second (token bucket).' },
  canaryOutageBound: ref('duration', 'Abort when a canary is silent longer than this.', '10m'),
  controlPlaneFailures: integer('Abort after this many consecutive failed Nova polls.', 1, 5),
  pollInterval: ref('duration', 'How often observers poll Nova and the BMCs.', '5s'),
}, { default: {} });

/** The campaign schema (draft 2020-12), defaults included. */
export function buildCampaignSchema(): JsonSchema {
  const top = object('An `ihasim inject` campaign: faults against a staging cloud, judged like a simulation.', {
    ihasim: { const: 1, description: 'Format version; always 1.' },
    name: nonEmpty('Campaign name (reports use it).'),
    description: text('What the campaign tests.', ''),
    cloud: CLOUD,
    inventory: { type: 'object', minProperties: 1, propertyNames: { $ref: '#/$defs/name' }, additionalProperties: HOST, description: 'Hosts by name.' },
    faults: { type: 'array', items: FAULT, minItems: 1, description: 'Faults, in any order.' },
    canaries: CANARIES,
    limits: LIMITS,
    observers: object('Optional observers besides Nova, the target BMCs and the canaries.', {
      virsh: { type: 'boolean', default: false, description: 'Poll `virsh list --all` over SSH on every inventory host with `ssh:` (judges no-double-run without canaries).' },
    }, { default: {} }),
    settle: ref('duration', 'How long to keep observing after the last undo, before judging.', '2m'),
    expect: EXPECT,
  }, { required: ['ihasim', 'name', 'cloud', 'inventory', 'faults'] });
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'ihasim inject campaign', ...top, $defs: SHARED_DEFS };
}
