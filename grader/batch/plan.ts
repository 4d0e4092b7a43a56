/**
 * Planning, pure: given the prepared submissions and what the state folder remembers, which
 * submissions to grade and which earlier results to reuse. No I/O, so it is tested directly.
 */
import { gradeKey } from './hash.ts';
import type { StateEntry } from './state.ts';
import type { PreparedFailed, PreparedOk, Prepared } from './types.ts';

export interface PlanInput {
  prepared: Prepared[];
  previous: Map<string, StateEntry>;
  force: boolean;
  labHash: string;
  seed: number;
  graderVersion: string;
  backend: string;
}

export interface Plan {
  grade: { prepared: PreparedOk; key: string }[];
  reuse: { prepared: PreparedOk; entry: StateEntry }[];
  /** Submissions that cannot be graded (their rows are errors). */
  failed: PreparedFailed[];
}

export function planBatch(input: PlanInput): Plan {
  const plan: Plan = { grade: [], reuse: [], failed: [] };
  for (const p of input.prepared) {
    if (!p.ok) {
      plan.failed.push(p);
      continue;
    }
    const key = gradeKey({ contentHash: p.contentHash, labHash: input.labHash, seed: input.seed, graderVersion: input.graderVersion, backend: input.backend });
    const prev = input.previous.get(p.source.student);
    const reusable = prev && prev.key === key && (prev.outcome.kind === 'report' || prev.outcome.cacheable);
    if (reusable && !input.force) plan.reuse.push({ prepared: p, entry: prev });
    else plan.grade.push({ prepared: p, key });
  }
  return plan;
}
