/** STUB — owned by the apiserver work: kubectl-like views (get -o wide, describe, events). */
import type { ClusterContext } from '../runtime/context.ts';

export function renderViews(_ctx: ClusterContext, _namespace?: string): string {
  throw new Error('not implemented');
}
