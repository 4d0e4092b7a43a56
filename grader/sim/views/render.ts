/**
 * The cluster at a glance, for `--explain` and check evidence: the `kubectl get` listings a
 * student would run, each under the command that produces it.
 */
import type { ClusterContext } from '../runtime/context.ts';
import { events } from './events.ts';
import { getIngresses, getNodes } from './ingresses.ts';
import { getPods } from './pods.ts';
import { getEndpointSlices, getServices } from './services.ts';
import { getDeployments, getPVCs, getStatefulSets } from './workloads.ts';

export function renderViews(ctx: ClusterContext, namespace?: string): string {
  const ns = namespace === undefined ? ' -A' : namespace === 'default' ? '' : ` -n ${namespace}`;
  const sections: [string, string][] = [
    ['kubectl get nodes -o wide', getNodes(ctx, { wide: true })],
    [`kubectl get deployments,statefulsets${ns}`, [getDeployments(ctx, namespace), getStatefulSets(ctx, namespace)].filter((s) => !s.startsWith('No resources')).join('\n\n') || noResources(namespace)],
    [`kubectl get pods -o wide${ns}`, getPods(ctx, namespace, { wide: true })],
    [`kubectl get services -o wide${ns}`, getServices(ctx, namespace, { wide: true })],
    [`kubectl get endpointslices${ns}`, getEndpointSlices(ctx, namespace)],
    [`kubectl get ingresses${ns}`, getIngresses(ctx, namespace)],
    [`kubectl get pvc${ns}`, getPVCs(ctx, namespace)],
    [`kubectl get events${ns}`, events(ctx, namespace)],
  ];
  return sections.map(([cmd, out]) => `$ ${cmd}\n${out}`).join('\n\n') + '\n';
}

function noResources(namespace: string | undefined): string {
  return namespace !== undefined ? `No resources found in ${namespace} namespace.` : 'No resources found';
}
