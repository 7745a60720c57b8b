/**
 * Runs steps against the cloud: BMC power through IPMI or Redfish, commands over SSH, Nova's crash dump. Each
 * undo is read back (power status on; `systemctl is-active`; `iptables -S IHASIM` with no rule; the link up), so a
 * journal entry is closed only once the cloud shows the fault is gone. Undos are idempotent: running one twice
 * (a restore after an abort) changes nothing the second time.
 */
import { powerDriver, type PowerDriver, type PowerState } from '../bmc-client/power.js';
import type { Campaign } from './campaign.js';
import type { OpenStackClient } from './openstack/openstack-client.js';
import { readSecret, type Redactor } from './secrets.js';
import { SshRunner, type ExecResult } from './ssh-runner.js';
import type { Step } from './steps.js';
import type { VerifyRule } from './fault-catalog.js';

export interface UndoResult { ok: boolean; verified: boolean; detail: string }

export interface ExecutorOptions {
  /** Read-back attempts and the pause between them (a BMC or systemd takes a moment). */
  readBackAttempts?: number;
  readBackPauseMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Connections {
  private readonly power = new Map<string, PowerDriver>();
  private readonly ssh = new Map<string, SshRunner>();

  constructor(readonly campaign: Campaign, readonly redactor: Redactor, readonly openstack: () => Promise<OpenStackClient>) {}

  powerOf(host: string): PowerDriver {
    let d = this.power.get(host);
    if (!d) {
      const bmc = this.campaign.hosts.get(host)?.bmc;
      if (!bmc) throw new Error(`${host} has no bmc in the inventory`);
      const password = readSecret(bmc, this.redactor, `inventory.${host}.bmc`);
      d = powerDriver({ ...bmc, password });
      this.power.set(host, d);
    }
    return d;
  }

  sshOf(host: string): SshRunner {
    let r = this.ssh.get(host);
    if (!r) {
      const entry = this.campaign.hosts.get(host)?.ssh;
      if (!entry) throw new Error(`${host} has no ssh in the inventory`);
      r = new SshRunner(host, entry);
      this.ssh.set(host, r);
    }
    return r;
  }

  async close(): Promise<void> {
    for (const r of this.ssh.values()) r.close();
    await Promise.allSettled([...this.power.values()].map((d) => d.close()));
  }
}

/** Reads a verify command's output by its rule. */
function verified(rule: VerifyRule, r: ExecResult, iface?: string): boolean {
  if (r.code !== 0) return false;
  if (rule === 'no-rules') return r.stdout.split('\n').every((l) => l.trim() === '' || l.startsWith('-N ') || l.startsWith('-P '));
  if (rule === 'link-up') return r.stdout.split('\n').some((l) => l.includes(` ${iface}:`) && /state UP/.test(l));
  return true;
}

export class Executor {
  private readonly attempts: number;
  private readonly pauseMs: number;

  constructor(private readonly conns: Connections, opts: ExecutorOptions = {}) {
    this.attempts = opts.readBackAttempts ?? 10;
    this.pauseMs = opts.readBackPauseMs ?? 1_000;
  }

  /** Takes a fault in. Throws when the cloud refused it. */
  async inject(step: Step): Promise<void> {
    switch (step.channel) {
      case 'bmc': return this.conns.powerOf(step.host).set(step.change);
      case 'ssh': return this.runCommands(step.host, step.commands, step.dropsSession === true);
      case 'nova': {
        const os = await this.conns.openstack();
        const server = (await os.servers()).find((s) => s.id === step.server || s.name === step.server);
        if (!server) throw new Error(`no server ${step.server} in Nova`);
        return os.triggerCrashDump(server.id);
      }
      case 'panic-recover': throw new Error('panic-recover is an undo');
    }
  }

  private async runCommands(host: string, commands: string[], dropsSession: boolean): Promise<void> {
    const ssh = this.conns.sshOf(host);
    for (const [i, command] of commands.entries()) {
      let r: ExecResult;
      try {
        r = await ssh.exec(command);
      } catch (err) {
        // sysrq: the kernel dies under the session; a lost connection is the fault taking effect.
        if (dropsSession) return ssh.close();
        throw err;
      }
      // Only the last command must succeed: `iptables -N IHASIM` fails when the chain exists, which is fine.
      if (i === commands.length - 1 && r.code !== 0 && !(dropsSession && r.code === null)) {
        throw new Error(`ssh ${host}: \`${command}\` exited ${r.code ?? 'by signal'}${r.stderr ? `: ${r.stderr.trim().slice(0, 200)}` : ''}`);
      }
    }
  }

  /** Undoes a fault and reads the undo back. Never throws: a failure is in the result. */
  async undo(step: Step): Promise<UndoResult> {
    try {
      switch (step.channel) {
        case 'bmc': return await this.powerUndo(step.host, step.change === 'off' ? 'on' : step.change);
        case 'ssh': return await this.sshUndo(step);
        case 'panic-recover': return await this.panicRecover(step.host);
        case 'nova': return { ok: true, verified: true, detail: 'nothing to undo' };
      }
    } catch (err) {
      return { ok: false, verified: false, detail: this.conns.redactor.text(err instanceof Error ? err.message : String(err)) };
    }
  }

  private async readPower(host: string): Promise<PowerState | 'unknown'> {
    try {
      return await this.conns.powerOf(host).status();
    } catch {
      return 'unknown';
    }
  }

  private async powerUndo(host: string, change: 'on' | 'reset'): Promise<UndoResult> {
    const before = await this.readPower(host);
    if (!(change === 'on' && before === 'on')) await this.conns.powerOf(host).set(change);
    for (let i = 0; i < this.attempts; i++) {
      if ((await this.readPower(host)) === 'on') return { ok: true, verified: true, detail: `power on (read back)${before === 'on' && change === 'on' ? ', already on' : ''}` };
      await sleep(this.pauseMs);
    }
    return { ok: true, verified: false, detail: `power ${change} sent, but the BMC does not report power on` };
  }

  private async sshUndo(step: Extract<Step, { channel: 'ssh' }>): Promise<UndoResult> {
    const ssh = this.conns.sshOf(step.host);
    const errors: string[] = [];
    for (const command of step.commands) {
      const r = await ssh.exec(command);
      if (r.code !== 0) errors.push(`\`${command}\` exited ${r.code ?? 'by signal'}`);
    }
    if (!step.verify) return { ok: errors.length === 0, verified: errors.length === 0, detail: errors.join('; ') || 'done (no read-back command)' };
    for (let i = 0; i < this.attempts; i++) {
      const r = await ssh.exec(step.verify);
      if (verified(step.verifyRule ?? 'exit-0', r, step.iface)) return { ok: true, verified: true, detail: `read back: ${step.verify}` };
      await sleep(this.pauseMs);
    }
    return { ok: errors.length === 0, verified: false, detail: `read back failed: ${step.verify}${errors.length ? `; ${errors.join('; ')}` : ''}` };
  }

  private async panicRecover(host: string): Promise<UndoResult> {
    const ssh = this.conns.sshOf(host);
    try {
      ssh.close();
      const r = await ssh.exec('cat /proc/sys/kernel/random/boot_id');
      if (r.code === 0) return { ok: true, verified: true, detail: `answers SSH again (boot ${r.stdout.trim()})` };
    } catch {
      // not back: the BMC decides
    }
    const power = await this.readPower(host);
    return this.powerUndo(host, power === 'off' ? 'on' : 'reset');
  }
}
