import { describe, expect, test } from 'vitest';
import { formatMs } from '../../../reports/format-duration.js';

describe('reports: formatMs', () => {
  test.each([
    [0, '0ms'],
    [850, '850ms'],
    [999.4, '999ms'],
    [999.6, '1s'],
    [12_400, '12.4s'],
    [12_000, '12s'],
    [59_940, '59.9s'],
    [59_960, '1m00s'],
    [312_000, '5m12s'],
    [3_599_400, '59m59s'],
    [3_599_600, '1h00m'],
    [3_720_000, '1h02m'],
    [90_000_000, '25h00m'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });

  test('null, NaN and infinity read as a dash', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(Number.NaN)).toBe('—');
    expect(formatMs(Number.POSITIVE_INFINITY)).toBe('—');
  });

  test('a negative duration keeps its sign', () => {
    expect(formatMs(-312_000)).toBe('-5m12s');
  });
});
