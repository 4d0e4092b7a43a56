/**
 * Turns whatever grading threw into a student's error outcome, with a message that says what
 * to fix. Errors the student caused (InputError from the manifest loader: malformed YAML,
 * alias bombs, nesting too deep) are deterministic and kept on resume; grader crashes,
 * timeouts and memory exhaustion are retried by the next run.
 */
import { KubelabError } from '../../errors.ts';
import { ErrorReason, type GradeOutcome } from '../types.ts';

export function outcomeFromError(err: unknown, limits: { timeoutMs: number; memoryMb: number }): GradeOutcome {
  if (err instanceof KubelabError) {
    return { kind: 'error', reason: ErrorReason.submission, message: err.message, hint: err.hint, cacheable: true };
  }
  const e = err as { name?: string; code?: string; message?: string };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'KUBELAB_TIMEOUT') {
    return {
      kind: 'error',
      reason: ErrorReason.timeout,
      message: `grading stopped after ${Math.round(limits.timeoutMs / 1000)} s, the time limit for one submission`,
      hint: 'look for manifests that create very many objects (high replica counts, many Services) and reduce them',
      cacheable: false,
    };
  }
  if (e?.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap limit/i.test(e?.message ?? '')) {
    return {
      kind: 'error',
      reason: ErrorReason.memory,
      message: `grading used more than ${limits.memoryMb} MB of memory and was stopped`,
      hint: 'look for manifests that create very many or very large objects and reduce them',
      cacheable: false,
    };
  }
  const detail = (e?.message ?? String(err)).split('\n')[0]!.slice(0, 300);
  return {
    kind: 'error',
    reason: ErrorReason.crash,
    message: `the grader failed on this submission (${detail})`,
    hint: 'this is a problem of the grader, not of your manifests; the instructor will look into it',
    cacheable: false,
  };
}
