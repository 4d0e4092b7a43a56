/**
 * The shared backend conformance suite on a real kind cluster. Runs wherever `kind` and a
 * Docker engine work (KUBELAB_KIND=0 opts out); skipped with the reason printed elsewhere.
 */
import { describe, it } from 'vitest';
import { backendConformance } from '../conformance.case.ts';
import { KindBackend } from './backend.ts';
import { checkTools, execaRunner } from './tools.ts';

const tools = await checkTools(execaRunner);
const skipReason = process.env.KUBELAB_KIND === '0' ? 'KUBELAB_KIND=0 is set' : tools.problems.join(' ');

if (skipReason) {
  console.warn(`[kind conformance] skipped: ${skipReason}`);
  describe('backend conformance on kind', () => {
    it.skip(`skipped: ${skipReason}`, () => {});
  });
} else {
  backendConformance('kind', () => new KindBackend({ keepCluster: true, maxWaitSeconds: 600 }));
}
