/**
 * MetalLB's layer-2 mode: one speaker answers ARP for a Service IP, so all its traffic enters
 * the cluster through one node. Every speaker computes the same owner: among eligible nodes,
 * the first by sha256(node + "#" + ip) (metallb speaker/layer2_controller.go ShouldAnnounce).
 * Eligible: the speaker's node is up, it is not labelled
 * node.kubernetes.io/exclude-from-external-load-balancers (kind's control plane is), and, with
 * externalTrafficPolicy Local, it has a ready endpoint of the Service. When the owner dies,
 * memberlist notices and the next node in that order takes over.
 */
import { createHash } from 'node:crypto';
import type { Node, Service } from '../../api/types.ts';
import type { NetworkState } from '../../network/state.ts';

export const EXCLUDE_LB_LABEL = 'node.kubernetes.io/exclude-from-external-load-balancers';

export interface Announcement {
  node?: string;
  why: string;
}

function hasLocalReadyEndpoint(state: NetworkState, svc: Service, node: string): boolean {
  return state.slicesFor(svc.metadata.namespace!, svc.metadata.name).some((s) =>
    (s.endpoints ?? []).some((e) => e.nodeName === node && (e.conditions?.ready ?? true)),
  );
}

/**
 * sha256(node#ip), memoised: a pure function of its text, and the announcer is asked on every
 * request to a LoadBalancer IP, where hashing was a visible share of the cost.
 */
const hashes = new Map<string, string>();
function speakerHash(node: string, ip: string): string {
  const text = `${node}#${ip}`;
  let h = hashes.get(text);
  if (h === undefined) {
    h = createHash('sha256').update(text).digest('hex');
    if (hashes.size >= 4096) hashes.clear();
    hashes.set(text, h);
  }
  return h;
}

export function announcingNode(state: NetworkState, svc: Service, ip: string, nodeUp: (name: string) => boolean): Announcement {
  const local = svc.spec.externalTrafficPolicy === 'Local';
  const eligible = state.nodes().filter((n: Node) =>
    !(EXCLUDE_LB_LABEL in (n.metadata.labels ?? {})) && nodeUp(n.metadata.name) && (!local || hasLocalReadyEndpoint(state, svc, n.metadata.name)),
  );
  if (eligible.length === 0) {
    return { why: local ? `no live node has a ready endpoint of ${svc.metadata.name} (externalTrafficPolicy: Local), so no speaker announces ${ip}` : `no live node can announce ${ip}` };
  }
  const order = eligible
    .map((n) => ({ name: n.metadata.name, h: speakerHash(n.metadata.name, ip) }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
  return { node: order[0]!.name, why: `MetalLB (layer 2): node ${order[0]!.name} answers ARP for ${ip}` };
}
