import { describe, expect, it } from 'vitest';
import { isIhasimError } from '../../../../harness/errors.js';
import { parseScenario, tryParseDuration } from '../../../../harness/scenario/index.js';

/** The loader's whole message for a scenario whose `duration:` is `value`. */
function loaderMessage(value: string): string {
  try {
    parseScenario(`ihasim: 1\nname: d\nduration: ${value}\n`, 'd.yaml');
  } catch (err) {
    if (isIhasimError(err)) return err.details.map((d) => `${d.path}: ${d.message} ${d.hint ?? ''} ${d.expected ?? ''} ${d.found ?? ''}`).join('\n');
    throw err;
  }
  throw new Error(`duration: ${value} was accepted`);
}

describe('a duration written in words gets a suggestion that parses', () => {
  it.each([
    ['5 minutes', '5m'],
    ['1 hour 30 mins', '1h30m'],
    ['90 seconds', '90s'],
    ['5 m', '5m'],
    ['1.5 secs', '1.5s'],
  ])('%s: the loader suggests %s, and %s is accepted', (written, suggested) => {
    const message = loaderMessage(written);
    expect(message).toContain(`write \`${suggested}\``);
    expect(tryParseDuration(suggested).ok).toBe(true);
  });

  it('a unit word without the space is suggested its unit too', () => {
    expect(loaderMessage('5minutes')).toContain('unknown unit `minutes` (use ms, s, m or h): write `5m`');
  });

  it('nothing is suggested when nothing sensible parses', () => {
    const message = loaderMessage('2 fortnights');
    expect(message).not.toMatch(/write `/);
    expect(message).toMatch(/no spaces inside a duration/);
  });
});
