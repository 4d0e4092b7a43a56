/**
 * Runs one corpus case: a fresh cluster of the case's shape, then each step applied and
 * rolled out, checked against its expectations. Shared by the conformance test and the bench.
 */
import type { SimCluster } from '../cluster.ts';
import type { LoadedDocument } from '../../manifests/types.ts';
import { type CorpusCase, type Step, checkApply, checkExpect } from './expectation.ts';
import { inline, loadFiles, newCluster } from './harness.ts';

export interface CaseOutcome {
  cluster: SimCluster;
  /** Every disagreement with real Kubernetes, prefixed by its step. */
  problems: string[];
}

export async function stepDocuments(step: Step): Promise<LoadedDocument[]> {
  const fixtures = step.objects ? inline(step.objects) : [];
  const files = step.files?.length ? await loadFiles(step.files, step.namespace) : [];
  return [...fixtures, ...files];
}

export async function runCase(k: CorpusCase, opts: { check?: boolean } = {}): Promise<CaseOutcome> {
  const check = opts.check ?? true;
  const cluster = newCluster(k.cluster);
  const problems: string[] = [];
  for (const [i, step] of k.steps.entries()) {
    const docs = await stepDocuments(step);
    const r = cluster.apply(docs);
    cluster.waitForRollout(step.rollout ?? 600);
    // Rollout status ignores bare Pods and ReplicationControllers: give them the minute a user would wait.
    cluster.advance(step.settle ?? 60);
    if (!check) continue;
    const prefix = k.steps.length > 1 ? `step ${i + 1}: ` : '';
    problems.push(...checkApply(step, r).map((p) => prefix + p));
    if (step.expect) problems.push(...checkExpect(cluster, step.expect).map((p) => prefix + p));
  }
  return { cluster, problems };
}
