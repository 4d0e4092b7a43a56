/**
 * Every lab in labs/ proves its checks: the solution gets full marks, the starter does not,
 * and every mutant fails exactly the checks its mutant.yaml names (and passes the others).
 * An empty or missing labs/ fails here rather than passing with nothing tested.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listLabs } from '../grader/lab/load.ts';
import { gradeSubmission } from '../grader/checks/grade.ts';
import { KubelabError } from '../grader/errors.ts';
import type { Report } from '../grader/checks/report.ts';

const root = path.dirname(fileURLToPath(import.meta.url));
const { labs, errors } = await listLabs(root);

const failing = (r: Report) => r.checks.filter((c) => c.status === 'fail' || c.status === 'error');
const summary = (r: Report) => failing(r).map((c) => `${c.id}: ${c.message}`);

describe('labs/', () => {
  it('holds at least one lab, and every lab folder loads', () => {
    expect(errors.map((e) => `${e.folder}: ${e.error.message}`)).toEqual([]);
    expect(labs.length).toBeGreaterThan(0);
  });
  it('gives every lab its own id', () => {
    const ids = labs.map((l) => l.spec.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

for (const lab of labs) {
  describe(`lab ${lab.folder}`, () => {
    it('the solution gets full marks', async () => {
      const r = await gradeSubmission({ lab, submission: lab.solutionDir, seed: 1 });
      expect(r.apply.errors.map((e) => `${e.file}:${e.line}: ${e.message}`), 'the solution applies cleanly').toEqual([]);
      expect(failing(r).map((c) => c.id), `failing checks:\n${summary(r).join('\n')}`).toEqual([]);
      expect(r.score).toBe(r.maxScore);
    });

    it('the starter does not get full marks', async () => {
      const outcome = await gradeSubmission({ lab, submission: lab.starterDir, seed: 1 }).then(
        (r) => (r.score < r.maxScore ? 'below full marks' : 'full marks'),
        (err: unknown) => {
          // A starter with no manifests yet is a valid starting point: it cannot pass either.
          if (err instanceof KubelabError) return 'no gradable manifests';
          throw err;
        },
      );
      expect(outcome).not.toBe('full marks');
    });

    for (const mutant of lab.mutants) {
      it(`mutant ${mutant.name} fails exactly ${mutant.spec.fails.join(', ')}`, async () => {
        const r = await gradeSubmission({ lab, submission: mutant.dir, seed: 1 });
        const failed = failing(r).map((c) => c.id).sort();
        expect(failed, `failing checks:\n${summary(r).join('\n')}`).toEqual([...mutant.spec.fails].sort());
      });
    }
  });
}
