/**
 * Process-to-process access for image behaviours: once a connection reached a pod (or
 * localhost, which is the pod's own network namespace), the process behind the port with
 * its runtime info and network view. Redis replicas read their leader's data through it,
 * exporters their database's.
 */
import type { Pod } from '../api/types.ts';
import type { PeerProcess } from '../images/types.ts';
import type { ClusterContext } from '../runtime/context.ts';
import { processNetworkFor } from '../nodes/state.ts';
import { containerListeningOn } from './api.ts';

export function peerProcess(ctx: ClusterContext, namespace: string, pod: string, port: number): PeerProcess | undefined {
  const p = ctx.store.get('Pod', namespace, pod) as Pod | undefined;
  if (!p) return undefined;
  const hit = containerListeningOn(ctx, p, port);
  if (!hit) return undefined;
  return { info: hit.info, image: hit.image, net: processNetworkFor(ctx, p) };
}
