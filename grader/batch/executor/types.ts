/** How submissions are graded: in worker threads (the CLI) or in-process (unit tests). */
import type { GradeOutcome } from '../types.ts';

export interface GradeTask {
  student: string;
  /** Absolute path of the lab folder. */
  labDir: string;
  /** Absolute path of the staged submission (manifests only). */
  submissionDir: string;
  seed: number;
  backend: 'sim' | 'kind';
}

export interface GradeExecutor {
  /** How many gradings may run at once. */
  readonly concurrency: number;
  /** Never rejects for a submission's fault: failures come back as error outcomes. */
  grade(task: GradeTask): Promise<GradeOutcome>;
  close(): Promise<void>;
}
