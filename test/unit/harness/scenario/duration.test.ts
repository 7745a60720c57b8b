import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { IhasimError } from '../../../../harness/errors.js';
import { formatDuration, parseDuration, tryParseDuration } from '../../../../harness/scenario/index.js';

describe('scenario: durations', () => {
  test.each([
    ['500ms', 500], ['20s', 20_000], ['5m', 300_000], ['1h', 3_600_000], ['1h30m', 5_400_000],
    ['1.5s', 1500], ['0.25s', 250], ['2m30s500ms', 150_500], ['0s', 0], [1500, 1500], [0, 0],
  ] as const)('parses %s as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each([
    ['-5s', 'negative'], [-1, 'negative'], [Number.NaN, 'finite'], ['5x', 'unknown unit `x`'], ['twenty', 'not a duration'],
    ['500', 'missing unit'], ['', 'empty'], ['30m1h', 'largest to smallest'], ['5s5s', 'largest to smallest'],
    ['1.5ms', 'finer than a millisecond'], [1.5, 'whole milliseconds'], ['5 s', 'no spaces'], ['1e3s', 'unknown unit'],
  ] as const)('rejects %s with a clear message (%s)', (text, words) => {
    const r = tryParseDuration(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toContain(words);
    expect(() => parseDuration(text)).toThrow(IhasimError);
  });

  test('parseDuration throws IHASIM_SCENARIO_SCHEMA with what was found', () => {
    try {
      parseDuration('twenty');
      expect.unreachable();
    } catch (err) {
      expect((err as IhasimError).code).toBe('IHASIM_SCENARIO_SCHEMA');
      expect((err as IhasimError).details[0]?.found).toBe('"twenty"');
    }
  });

  test.each([
    [500, '500ms'], [20_000, '20s'], [312_000, '5m12s'], [3_600_000, '1h'], [1500, '1.5s'], [0, '0s'],
    [3_630_000, '1h30s'], [3_600_500, '1h500ms'], [90_061_001, '25h1m1.001s'], [1499.6, '1.5s'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  test('formatDuration and parseDuration round-trip every whole number of ms', () => {
    fc.assert(fc.property(fc.nat({ max: 10 * 24 * 3_600_000 }), (ms) => parseDuration(formatDuration(ms)) === ms));
  });
});
