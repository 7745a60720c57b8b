/**
 * Boot ids of the served world, as `/proc/sys/kernel/random/boot_id` reads on a host and inside a guest: a
 * UUID per boot, derived from the seed so that the same seed shows the same ids (never Math.random).
 */
import { createHash } from 'node:crypto';

/** A version-4-shaped UUID from a hash of `parts`. */
function uuidOf(parts: readonly (string | number)[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The boot id of a compute host's `bootCount`-th boot. */
export function hostBootId(seed: number, host: string, bootCount: number): string {
  return uuidOf(['ihasim-host-boot', seed, host, bootCount]);
}

/** The boot id inside one boot of an instance's guest; `boot` names the boot (its domain's start and resets). */
export function domainBootId(seed: number, instanceUuid: string, boot: string): string {
  return uuidOf(['ihasim-domain-boot', seed, instanceUuid, boot]);
}
