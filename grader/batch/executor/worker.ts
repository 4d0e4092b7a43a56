/**
 * Worker thread body: grades one submission with the grading function named by the task.
 * The lab and the grading module are loaded once per worker and reused. Every error is turned
 * into an outcome here, because class identity does not survive the trip to the main thread.
 */
import { pathToFileURL } from 'node:url';
import { loadLab, type Lab } from '../../lab/load.ts';
import type { GradeFn, GradeOutcome, GraderRef } from '../types.ts';
import { outcomeFromError } from './outcome.ts';
import type { GradeTask } from './types.ts';

export interface WorkerTask extends GradeTask {
  grader: GraderRef;
  timeoutMs: number;
  memoryMb: number;
}

const labs = new Map<string, Promise<Lab>>();
const graders = new Map<string, Promise<GradeFn>>();

async function graderFor(ref: GraderRef): Promise<GradeFn> {
  const id = `${ref.module}#${ref.export}`;
  let p = graders.get(id);
  if (!p) {
    p = import(pathToFileURL(ref.module).href).then((mod: Record<string, unknown>) => {
      const fn = mod[ref.export];
      if (typeof fn !== 'function') throw new Error(`${ref.module} has no function export "${ref.export}"`);
      return fn as GradeFn;
    });
    graders.set(id, p);
  }
  return p;
}

export default async function gradeInWorker(task: WorkerTask): Promise<GradeOutcome> {
  try {
    let lab = labs.get(task.labDir);
    if (!lab) {
      lab = loadLab(task.labDir);
      labs.set(task.labDir, lab);
    }
    const grade = await graderFor(task.grader);
    const report = await grade({ lab: await lab, submission: task.submissionDir, backend: task.backend, seed: task.seed });
    return { kind: 'report', report };
  } catch (err) {
    return outcomeFromError(err, task);
  }
}
