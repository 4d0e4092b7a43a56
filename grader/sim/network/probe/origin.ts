/**
 * Where a probe starts. A named pod, the first running pod matching a selector, or — with
 * neither — a throwaway client (curl + dig) in the namespace. The throwaway client is not
 * created as an object (so it never shows in `kubectl get pods` or in endpoints): it is
 * `kubelab-client` on the first live worker, with the last address of that node's podCIDR
 * less one (e.g. 10.244.1.254) and the namespace's ClusterFirst resolv.conf, like
 * `kubectl run --rm -it --image=curlimages/curl` would get. From outside, the client is the
 * host on kind's docker network (172.18.0.1).
 */
import type { ProbeOrigin } from '../../../backend/types.ts';
import type { Pod } from '../../api/types.ts';
import { mapSelectorMatches } from '../../api/types.ts';
import type { ClusterConfig } from '../../runtime/context.ts';
import { intToIp, parseRange } from '../ip.ts';
import { isControlPlane, isPodTerminal, podIP } from '../objects.ts';
import type { NetworkState } from '../state.ts';
import { type ResolvConf, resolvConfFor } from '../dns/resolver.ts';
import type { PodRuntime } from '../runtime.ts';

export const HOST_IP = '172.18.0.1';
export const CLIENT_POD_NAME = 'kubelab-client';

export type Client =
  | { kind: 'pod'; namespace: string; name: string; ip: string; node: string; conf: ResolvConf; pod?: Pod; describe: string }
  | { kind: 'external'; ip: string; describe: string };

export function resolveOrigin(o: ProbeOrigin, state: NetworkState, runtime: PodRuntime, cfg: ClusterConfig): Client | { error: string } {
  if (o.kind === 'external') return { kind: 'external', ip: HOST_IP, describe: `the host machine (${HOST_IP} on kind's docker network)` };
  const ns = o.namespace || 'default';
  let pod: Pod | undefined;
  if (o.pod) {
    pod = state.store.get('Pod', ns, o.pod) as Pod | undefined;
    if (!pod) return { error: `pods "${o.pod}" not found` };
  } else if (o.selector) {
    const sel = o.selector;
    pod = (state.store.list('Pod', ns) as Pod[]).find((p) => mapSelectorMatches(sel, p.metadata.labels) && p.status?.phase === 'Running' && !!podIP(p) && !p.metadata.deletionTimestamp);
    if (!pod) return { error: `no running pod in namespace ${ns} matches ${Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',')}` };
  }
  if (pod) {
    const ip = podIP(pod);
    if (!ip || isPodTerminal(pod) || pod.status?.phase !== 'Running') return { error: `pod ${ns}/${pod.metadata.name} is not running` };
    if (!runtime.nodeUp(pod.spec.nodeName)) return { error: `pod ${ns}/${pod.metadata.name} cannot run commands: its node ${pod.spec.nodeName} is down` };
    return {
      kind: 'pod', namespace: ns, name: pod.metadata.name, ip, node: pod.spec.nodeName!, pod,
      conf: resolvConfFor(ns, pod.spec, { dnsServiceIP: cfg.dnsServiceIP, clusterDomain: cfg.clusterDomain }),
      describe: `pod ${ns}/${pod.metadata.name} (${ip} on ${pod.spec.nodeName})`,
    };
  }
  const nodes = state.nodes().filter((n) => runtime.nodeUp(n.metadata.name));
  const node = nodes.find((n) => !isControlPlane(n)) ?? nodes[0];
  if (!node) return { error: 'no node is up to run a client pod' };
  const r = parseRange(node.spec?.podCIDR ?? '10.244.1.0/24');
  const ip = r ? intToIp(r.last - 1) : '10.244.1.254';
  return {
    kind: 'pod', namespace: ns, name: CLIENT_POD_NAME, ip, node: node.metadata.name,
    conf: resolvConfFor(ns, {}, { dnsServiceIP: cfg.dnsServiceIP, clusterDomain: cfg.clusterDomain }),
    describe: `a throwaway client pod ${ns}/${CLIENT_POD_NAME} (${ip} on ${node.metadata.name})`,
  };
}
