/**
 * The `IHASIM` iptables chain of one served host, as iptables would keep it: created (`-N`), jumped to from
 * INPUT/OUTPUT (`-I … -j IHASIM`), DROP rules per NIC (`-A IHASIM -i|-o ethN -j DROP`), flushed (`-F`), unhooked
 * (`-D`) and deleted (`-X`), with iptables' own refusals (no such chain, chain busy, chain not empty). What it
 * cuts is {@link Firewall.cutNics}: a rule only acts once its chain is reached from the matching built-in chain.
 * Pure state: host-shell.ts turns the cuts into the world's NIC faults.
 */
import { CHAIN } from './vocabulary.js';

export interface DropRule {
  direction: 'in' | 'out';
  nic: string;
}

/** What one iptables invocation answers: exit status and stdout/stderr text. */
export interface CommandOutput {
  exit: number;
  stdout: string;
  stderr: string;
}

const ok = (stdout = ''): CommandOutput => ({ exit: 0, stdout, stderr: '' });
const fail = (stderr: string): CommandOutput => ({ exit: 1, stdout: '', stderr: `${stderr}\n` });

// The messages of iptables-nft 1.8 (Debian 12, RHEL 9), so that an executor matching them behaves as it would live.
const NO_CHAIN = 'iptables: No chain/target/match by that name.';
const EXISTS = 'iptables: Chain already exists.';
const NO_RULE = 'iptables: Bad rule (does a matching rule exist in that chain?).';
const BUSY = `iptables v1.8.9 (nf_tables): CHAIN_USER_DEL failed (Device or resource busy): chain ${CHAIN}`;
const NOT_EMPTY = `iptables v1.8.9 (nf_tables): CHAIN_USER_DEL failed (Directory not empty): chain ${CHAIN}`;

export class Firewall {
  private exists = false;
  /** Jumps to the chain from each built-in chain (`-I` twice adds two). */
  private readonly jumps = { INPUT: 0, OUTPUT: 0 };
  private rules: DropRule[] = [];

  get empty(): boolean {
    return !this.exists && this.jumps.INPUT === 0 && this.jumps.OUTPUT === 0;
  }

  newChain(): CommandOutput {
    if (this.exists) return fail(EXISTS);
    this.exists = true;
    return ok();
  }

  hook(builtin: 'INPUT' | 'OUTPUT'): CommandOutput {
    if (!this.exists) return fail(NO_CHAIN);
    this.jumps[builtin]++;
    return ok();
  }

  unhook(builtin: 'INPUT' | 'OUTPUT'): CommandOutput {
    if (this.jumps[builtin] === 0) return fail(this.exists ? NO_RULE : NO_CHAIN);
    this.jumps[builtin]--;
    return ok();
  }

  drop(rule: DropRule): CommandOutput {
    if (!this.exists) return fail(NO_CHAIN);
    this.rules.push(rule);
    return ok();
  }

  flush(): CommandOutput {
    if (!this.exists) return fail(NO_CHAIN);
    this.rules = [];
    return ok();
  }

  deleteChain(): CommandOutput {
    if (!this.exists) return fail(NO_CHAIN);
    if (this.jumps.INPUT + this.jumps.OUTPUT > 0) return fail(BUSY);
    if (this.rules.length > 0) return fail(NOT_EMPTY);
    this.exists = false;
    return ok();
  }

  /** `iptables -S IHASIM`: the chain and its rules in iptables-save form, so an undo can be read back. */
  list(): CommandOutput {
    if (!this.exists) return fail(NO_CHAIN);
    const rules = this.rules.map((r) => `-A ${CHAIN} -${r.direction === 'in' ? 'i' : 'o'} ${r.nic} -j DROP`);
    return ok([`-N ${CHAIN}`, ...rules].map((l) => `${l}\n`).join(''));
  }

  /** NICs whose traffic the chain drops now: an `-i` rule acts when INPUT jumps to it, an `-o` rule when OUTPUT does. */
  cutNics(): Set<string> {
    const cut = new Set<string>();
    for (const r of this.rules) if (this.jumps[r.direction === 'in' ? 'INPUT' : 'OUTPUT'] > 0) cut.add(r.nic);
    return cut;
  }
}
