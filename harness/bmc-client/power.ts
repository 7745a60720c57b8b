/**
 * Power of one host through its BMC, read and changed the way fence agents do: IPMI v2.0 lanplus (Get Chassis
 * Status, Chassis Control) or Redfish (`ComputerSystem.Reset` with ForceOff / On / ForceRestart, `PowerState`).
 */
import { Agent, request } from 'undici';
import { ChassisCmd, NetFn, Priv } from '../serve/bmc/ipmi/constants.js';
import { LanplusClient } from './lanplus-client.js';

export type PowerState = 'on' | 'off';
export type PowerChange = 'on' | 'off' | 'reset';

export interface PowerDriver {
  status(): Promise<PowerState>;
  set(change: PowerChange): Promise<void>;
  /** Frees kept-alive connections (Redfish). */
  close(): Promise<void>;
}

export interface BmcTarget {
  kind: 'ipmi' | 'redfish';
  address: string;
  port: number;
  username: string;
  password: string;
  /** Redfish: the ComputerSystem; default the only member of /redfish/v1/Systems. */
  systemPath?: string;
  insecure?: boolean;
  /** IPMI: how long to wait for each datagram, ms. */
  timeoutMs?: number;
}

/** Chassis Control data byte (IPMI 2.0 table 28-4): power down, power up, hard reset. */
const CHASSIS_CONTROL: Record<PowerChange, number> = { off: 0x00, on: 0x01, reset: 0x03 };

/** IPMI: one session per operation (Open Session, RAKP 1-4, command, Close Session), as fence_ipmilan does. */
export class IpmiPower implements PowerDriver {
  constructor(private readonly t: BmcTarget) {}

  private async withSession<T>(fn: (c: LanplusClient) => Promise<T>): Promise<T> {
    const c = new LanplusClient({ host: this.t.address, port: this.t.port, username: this.t.username, password: this.t.password, timeoutMs: this.t.timeoutMs ?? 1_000, setupAttempts: 3 });
    try {
      await c.open();
      try {
        // Chassis Control needs OPERATOR; fence_ipmilan asks for ADMINISTRATOR (`-L ADMINISTRATOR`) like ipmitool.
        await c.setPrivilege(Priv.administrator);
        return await fn(c);
      } finally {
        await c.closeSession();
      }
    } finally {
      c.close();
    }
  }

  async status(): Promise<PowerState> {
    const r = await this.withSession((c) => c.request(NetFn.chassis, ChassisCmd.getStatus));
    if (r.cc !== 0 || r.data.length < 1) throw new Error(`Get Chassis Status failed (completion code 0x${r.cc.toString(16)})`);
    return (r.data[0]! & 0x01) === 1 ? 'on' : 'off';
  }

  async set(change: PowerChange): Promise<void> {
    const r = await this.withSession((c) => c.request(NetFn.chassis, ChassisCmd.control, Buffer.from([CHASSIS_CONTROL[change]])));
    if (r.cc !== 0) throw new Error(`Chassis Control ${change} refused (completion code 0x${r.cc.toString(16)})`);
  }

  async close(): Promise<void> {}
}

const RESET_TYPE: Record<PowerChange, string> = { off: 'ForceOff', on: 'On', reset: 'ForceRestart' };

/** Redfish over HTTPS with Basic auth (fence_redfish's way; no session to leak). */
export class RedfishPower implements PowerDriver {
  private readonly dispatcher: Agent;
  private readonly base: string;
  private system: string | undefined;

  constructor(private readonly t: BmcTarget) {
    this.dispatcher = new Agent({ connect: { rejectUnauthorized: !t.insecure } });
    this.base = `https://${t.address.includes(':') ? `[${t.address}]` : t.address}:${t.port}`;
    this.system = t.systemPath;
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
    const auth = `Basic ${Buffer.from(`${this.t.username}:${this.t.password}`).toString('base64')}`;
    const res = await request(`${this.base}${path}`, {
      method, dispatcher: this.dispatcher, headersTimeout: 10_000, bodyTimeout: 10_000,
      headers: { authorization: auth, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`Redfish ${method} ${path}: HTTP ${res.statusCode}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  private async systemPath(): Promise<string> {
    if (this.system) return this.system;
    const members = ((await this.call('GET', '/redfish/v1/Systems'))['Members'] ?? []) as { '@odata.id': string }[];
    if (members.length !== 1) throw new Error(`Redfish: ${members.length} Systems at ${this.base}; set bmc.systemPath`);
    return (this.system = members[0]!['@odata.id']);
  }

  async status(): Promise<PowerState> {
    const doc = await this.call('GET', await this.systemPath());
    return doc['PowerState'] === 'On' ? 'on' : 'off';
  }

  async set(change: PowerChange): Promise<void> {
    await this.call('POST', `${await this.systemPath()}/Actions/ComputerSystem.Reset`, { ResetType: RESET_TYPE[change] });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

export function powerDriver(t: BmcTarget): PowerDriver {
  return t.kind === 'ipmi' ? new IpmiPower(t) : new RedfishPower(t);
}
