/**
 * The JSON report of one grading run: stable and documented in the README. Batch grading,
 * feedback pages, Gradescope and JUnit exports are all built from it.
 */
export const CheckStatus = { pass: 'pass', fail: 'fail', error: 'error', skipped: 'skipped' } as const;
export type CheckStatus = (typeof CheckStatus)[keyof typeof CheckStatus];

/** Expected-versus-observed evidence, with the field path it concerns. */
export interface Evidence {
  /** e.g. `Service/default/web spec.ports[0].targetPort`, or `dns web.default from pod client`. */
  path: string;
  expected: unknown;
  observed: unknown;
  /** Hops of the request that produced `observed` (client → DNS → Service → kube-proxy → pod). */
  trace?: { component: string; detail: string }[];
}

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  points: number;
  maxPoints: number;
  hidden: boolean;
  /** One sentence: what was found. Never a bare "failed". */
  message: string;
  hint?: string;
  /** The lab's `explain:` for the check: why it matters. */
  explain?: string;
  evidence: Evidence[];
}

export interface Report {
  lab: { id: number; slug: string; title: string };
  backend: 'sim' | 'kind';
  seed: number;
  score: number;
  maxScore: number;
  /** Wall time of the grading, rounded to whole milliseconds (excluded from determinism comparisons). */
  durationMs: number;
  /** Problems applying the submission (rejected objects), as kubectl would print them. */
  apply: { applied: number; errors: { file: string; line?: number; message: string }[]; warnings: string[] };
  /** How the rollout after applying went (`kubectl rollout status`); workloads not ready are listed. */
  rollout?: { complete: boolean; waitedSeconds: number; notReady: string[] };
  /** Only with `explain`: kubectl-like views of the cluster after the rollout. */
  views?: string;
  checks: CheckResult[];
}
