/** The lab's `from:` (Origin) as the Backend's ProbeOrigin, and in words for messages. */
import type { Origin } from '../../lab/schema.ts';
import type { ProbeOrigin } from '../../backend/types.ts';
import { labelString } from './refs.ts';

export function toProbeOrigin(o: Origin | undefined): ProbeOrigin {
  if (o === undefined) return { kind: 'pod', namespace: 'default' };
  if (o === 'external') return { kind: 'external' };
  const out: ProbeOrigin = { kind: 'pod', namespace: o.pod.namespace ?? 'default' };
  if (o.pod.name !== undefined) out.pod = o.pod.name;
  if (o.pod.selector !== undefined) out.selector = o.pod.selector;
  return out;
}

export function describeOrigin(o: ProbeOrigin): string {
  if (o.kind === 'external') return 'outside the cluster';
  if (o.pod) return `pod ${o.namespace}/${o.pod}`;
  if (o.selector) return `a pod with ${labelString(o.selector)} in namespace ${o.namespace}`;
  return `a client pod in namespace ${o.namespace}`;
}
