/**
 * Replay protection for inbound session sequence numbers (IPMI 2.0 §6.12.13 in spirit): a packet is accepted
 * when its number is ahead of the highest seen by at most `AHEAD`, or behind it by less than `BEHIND` and not
 * seen before. Retries by ipmitool always carry a fresh number, so a repeated number is a replay.
 * Numbers wrap at 2^32; 0 is never valid inside a session.
 */

/** How far past the highest accepted number a packet may jump (lost packets, client retries). */
const AHEAD = 32;
/** How many numbers behind the highest accepted one are still accepted if unseen (reordering). */
const BEHIND = 16;

export class SeqWindow {
  private highest: number;
  /** Bit i set = number (highest - i) has been accepted; bit 0 is `highest` itself. */
  private seen = 0;

  /** @param lastAccepted the number before the first one expected (0 when any small start is fine). */
  constructor(lastAccepted: number) {
    this.highest = lastAccepted >>> 0;
    this.seen = 1;
  }

  /** Signed distance from `highest` to `seq`, modulo 2^32. */
  private distance(seq: number): number {
    return ((seq >>> 0) - this.highest) | 0;
  }

  /** Whether `seq` would be accepted; does not record it. */
  check(seq: number): boolean {
    if (seq >>> 0 === 0) return false;
    const d = this.distance(seq);
    if (d > 0) return d <= AHEAD;
    if (-d >= BEHIND) return false;
    return (this.seen & (1 << -d)) === 0;
  }

  /** Records an accepted `seq` (call only after `check` and after the packet authenticated). */
  accept(seq: number): void {
    const d = this.distance(seq);
    if (d > 0) {
      this.seen = d >= 32 ? 1 : ((this.seen << d) | 1) & 0xffff;
      this.highest = seq >>> 0;
    } else {
      this.seen |= 1 << -d;
    }
  }
}
