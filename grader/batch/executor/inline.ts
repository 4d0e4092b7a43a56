/**
 * Grades in the calling thread with a function given directly: for unit tests and for tools
 * that already run inside a worker. A time limit is enforced by no longer waiting (the work
 * itself cannot be stopped in-process); memory limits need the pool.
 */
import { loadLab, type Lab } from '../../lab/load.ts';
import type { GradeFn, GradeOutcome } from '../types.ts';
import { outcomeFromError } from './outcome.ts';
import type { GradeExecutor, GradeTask } from './types.ts';

export interface InlineOptions {
  grade: GradeFn;
  concurrency?: number;
  timeoutMs?: number;
}

export class InlineExecutor implements GradeExecutor {
  readonly concurrency: number;
  private readonly labs = new Map<string, Promise<Lab>>();

  constructor(private readonly opts: InlineOptions) {
    this.concurrency = Math.max(1, opts.concurrency ?? 1);
  }

  async grade(task: GradeTask): Promise<GradeOutcome> {
    const timeoutMs = this.opts.timeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      let lab = this.labs.get(task.labDir);
      if (!lab) this.labs.set(task.labDir, (lab = loadLab(task.labDir)));
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('time limit'), { code: 'KUBELAB_TIMEOUT' })), timeoutMs);
      });
      const report = await Promise.race([this.opts.grade({ lab: await lab, submission: task.submissionDir, backend: task.backend, seed: task.seed }), timeout]);
      return { kind: 'report', report };
    } catch (err) {
      return outcomeFromError(err, { timeoutMs, memoryMb: 0 });
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {}
}
