import { describe, expect, test } from 'vitest';
import { findInvariant, INVARIANTS } from '../../../reports/invariants.js';

describe('reports: invariants', () => {
  test('lists the nine invariants, safety first', () => {
    expect(INVARIANTS.map((i) => `${i.kind}:${i.name}`)).toEqual([
      'safety:no-double-run',
      'safety:no-split-writes',
      'safety:fence-before-evacuate',
      'safety:opt-in-respected',
      'safety:capacity-respected',
      'safety:quorum-respected',
      'liveness:recovery-bounded',
      'liveness:convergence',
      'liveness:servers-placed',
    ]);
  });

  test('every invariant has a one-line meaning', () => {
    for (const inv of INVARIANTS) {
      expect(inv.meaning.length).toBeGreaterThan(20);
      expect(inv.meaning).not.toContain('\n');
    }
  });

  test('findInvariant knows the defined names and nothing else', () => {
    expect(findInvariant('convergence')?.kind).toBe('liveness');
    expect(findInvariant('made-up')).toBeUndefined();
  });
});
