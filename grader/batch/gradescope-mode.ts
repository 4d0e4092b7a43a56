/**
 * Running inside a Gradescope autograder: grade the one submission in /autograder/submission
 * and write /autograder/results/results.json. Paths are options so tests (and other hosts)
 * can point elsewhere. The submission goes through the same preparation and limits as a batch.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import type { Lab } from '../lab/load.ts';
import { writeFileAtomic } from './atomic.ts';
import type { GradeExecutor } from './executor/types.ts';
import { defaultLimits, type SubmissionLimits } from './limits.ts';
import { toGradescope, type GradescopeResults } from './outputs/gradescope.ts';
import { prepareSubmission } from './prepare.ts';
import { buildRows } from './rows.ts';
import { ErrorReason, type GradeOutcome } from './types.ts';

export interface GradescopeModeOptions {
  lab: Lab;
  executor: GradeExecutor;
  submissionDir?: string;
  resultsFile?: string;
  seed?: number;
  backend?: 'sim' | 'kind';
  limits?: Partial<SubmissionLimits>;
  hiddenVisibility?: 'after_published' | 'hidden';
}

export const GRADESCOPE_SUBMISSION = '/autograder/submission';
export const GRADESCOPE_RESULTS = '/autograder/results/results.json';

export async function runGradescope(o: GradescopeModeOptions): Promise<GradescopeResults> {
  const submissionDir = path.resolve(o.submissionDir ?? GRADESCOPE_SUBMISSION);
  const resultsFile = path.resolve(o.resultsFile ?? GRADESCOPE_RESULTS);
  try {
    if (!(await stat(submissionDir)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new UsageError(`Gradescope submission folder ${submissionDir} does not exist`, 'run inside a Gradescope autograder, or pass --gradescope-submission');
  }
  // Staging beside the results file: the only folder of the autograder we may write to.
  const workRoot = path.join(path.dirname(resultsFile), '.kubelab-work');
  const seed = o.seed ?? 1;
  const backend = o.backend ?? 'sim';
  try {
    const prepared = await prepareSubmission({ student: 'submission', kind: 'dir', path: submissionDir }, { workRoot, limits: { ...defaultLimits, ...o.limits }, wantTime: false });
    const outcome: GradeOutcome = prepared.ok
      ? await o.executor.grade({ student: 'submission', labDir: o.lab.dir, submissionDir: prepared.stagedDir, seed, backend })
      : { kind: 'error', reason: ErrorReason.submission, message: prepared.message, hint: prepared.hint, cacheable: false };
    const { rows } = buildRows({ lab: o.lab, results: [{ student: 'submission', source: 'dir', outcome }], penalty: { kind: 'none' } });
    const results = toGradescope(rows[0]!, { hiddenVisibility: o.hiddenVisibility ?? 'after_published' });
    await writeFileAtomic(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    return results;
  } finally {
    await rm(workRoot, { recursive: true, force: true });
  }
}
