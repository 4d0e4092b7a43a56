/**
 * Grades in worker threads (tinypool): one submission per worker at a time, each with a time
 * limit (the worker is terminated when it passes) and a heap limit (resourceLimits; V8 stops
 * the worker when it is exceeded). Either way only that submission's task fails.
 */
import os from 'node:os';
import Tinypool from 'tinypool';
import type { GradeOutcome, GraderRef } from '../types.ts';
import { outcomeFromError } from './outcome.ts';
import type { GradeExecutor, GradeTask } from './types.ts';
import type { WorkerTask } from './worker.ts';

export interface PoolOptions {
  workers?: number;
  timeoutMs: number;
  memoryMb: number;
  grader: GraderRef;
}

export function defaultWorkers(): number {
  return Math.max(1, os.availableParallelism());
}

export class PoolExecutor implements GradeExecutor {
  readonly concurrency: number;
  private readonly pool: Tinypool;

  constructor(private readonly opts: PoolOptions) {
    this.concurrency = Math.max(1, opts.workers ?? defaultWorkers());
    this.pool = new Tinypool({
      filename: new URL('./worker-entry.mjs', import.meta.url).href,
      minThreads: 0,
      maxThreads: this.concurrency,
      idleTimeout: 5_000,
      // Our own worker bootstraps tsx; inheriting the parent's flags (vitest's, --inspect) would not help.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: opts.memoryMb },
    });
  }

  async grade(task: GradeTask): Promise<GradeOutcome> {
    const wt: WorkerTask = { ...task, grader: this.opts.grader, timeoutMs: this.opts.timeoutMs, memoryMb: this.opts.memoryMb };
    try {
      return (await this.pool.run(wt, { signal: AbortSignal.timeout(this.opts.timeoutMs) })) as GradeOutcome;
    } catch (err) {
      return outcomeFromError(err, this.opts);
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
