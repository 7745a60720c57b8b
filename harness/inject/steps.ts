/**
 * What one action does, as plain data the journal can hold: enough to undo it after a crash without the campaign's
 * fault list (the campaign file is read again only for addresses and where credentials are).
 */
import type { PowerChange } from '../bmc-client/power.js';
import type { VerifyRule } from './fault-catalog.js';

export type Step =
  | { channel: 'bmc'; host: string; change: PowerChange }
  | { channel: 'ssh'; host: string; commands: string[]; verify?: string; verifyRule?: VerifyRule; iface?: string; dropsSession?: boolean }
  | { channel: 'nova'; server: string }
  /** After a kernel panic: nothing if the host answers SSH again, else a BMC power on (off) or reset (hung). */
  | { channel: 'panic-recover'; host: string };

/** One line for humans: what the step does to which target. */
export function describeStep(s: Step): string {
  switch (s.channel) {
    case 'bmc': return `BMC power ${s.change} ${s.host}`;
    case 'ssh': return `ssh ${s.host}: ${s.commands.join(' ; ')}${s.verify ? ` (read back: ${s.verify})` : ''}`;
    case 'nova': return `Nova trigger_crash_dump on server ${s.server}`;
    case 'panic-recover': return `${s.host}: wait for SSH, else BMC power on/reset (read back: power on)`;
  }
}
