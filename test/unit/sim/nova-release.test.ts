import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../harness/scenario/index.js';
import { IhasimError } from '../../../harness/errors.js';
import { DEFAULT_CONFIG } from '../../../sim/config.js';
import { evacuateRefusesTaskState, forceUpChecksEvacuations, NOVA_RELEASES } from '../../../sim/nova/release.js';

const withRelease = (value: string) => `ihasim: 1
name: release
duration: 10m
config: { nova: { release: ${value} } }
`;

describe('config.nova.release', () => {
  it('defaults to the newest release modelled', () => {
    expect(DEFAULT_CONFIG.nova.release).toBe('2025.1');
    expect(NOVA_RELEASES.at(-1)).toBe('2025.1');
  });

  it('takes a series name, quoted or not (YAML reads 2024.1 as a number)', () => {
    expect(parseScenario(withRelease('wallaby')).config.nova.release).toBe('wallaby');
    expect(parseScenario(withRelease('2024.1')).config.nova.release).toBe('2024.1');
    expect(parseScenario(withRelease('"2023.2"')).config.nova.release).toBe('2023.2');
  });

  it('refuses an unknown release as bad input, with a did-you-mean', () => {
    try {
      parseScenario(withRelease('zedd'));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(IhasimError);
      expect((err as IhasimError).exitCode).toBe(3);
      expect((err as IhasimError).details[0]!.message).toContain('did you mean `zed`');
    }
  });

  it('evacuate checks task_state before zed (26.0.0) only; force-up checks evacuations from xena (24.0.0) on', () => {
    expect(NOVA_RELEASES.filter(evacuateRefusesTaskState)).toEqual(['wallaby', 'xena', 'yoga']);
    expect(NOVA_RELEASES.filter((r) => !forceUpChecksEvacuations(r))).toEqual(['wallaby']);
  });
});
