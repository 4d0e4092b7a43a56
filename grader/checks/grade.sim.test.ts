/** Grading on the simulator: deterministic per seed, and fixture lab verdicts. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gradeSubmission, stableReportJson } from './grade.ts';
import { loadLab } from '../lab/load.ts';

const labDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'fixtures', '90-fixture-web');

describe('gradeSubmission on the simulator', () => {
  it('gives byte-identical reports for the same seed (durationMs aside)', async () => {
    const lab = await loadLab(labDir);
    const a = await gradeSubmission({ lab, submission: lab.solutionDir, seed: 42, explain: true });
    const b = await gradeSubmission({ lab, submission: lab.solutionDir, seed: 42, explain: true });
    expect(stableReportJson(a)).toBe(stableReportJson(b));
    expect(a.views).toContain('web');
    // The evidence counts requests per pod: a distribution that depends on the seeded RNG.
    const spread = a.checks.find((c) => c.id === 'spread')!;
    expect(Object.keys((spread.evidence[0]!.observed as { perPod: object }).perPod)).toHaveLength(2);
  });
  it('fails the mutants for their reasons', async () => {
    const lab = await loadLab(labDir);
    for (const m of lab.mutants) {
      const r = await gradeSubmission({ lab, submission: m.dir, seed: 1 });
      expect(r.checks.filter((c) => c.status !== 'pass').map((c) => c.id).sort()).toEqual([...m.spec.fails].sort());
    }
  });
});
