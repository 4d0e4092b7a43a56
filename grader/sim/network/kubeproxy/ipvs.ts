/**
 * kube-proxy in IPVS mode with the default scheduler `rr`: strict round-robin over the real
 * servers of each virtual server (ClusterIP:port, and each NodeIP:nodePort separately)
 * (k8s pkg/proxy/ipvs/proxier.go; the `rr` default is documented in virtual-ips.md).
 */
import { type BackendEndpoint, BaseBalancer, type PickRequest, epKey } from './balancer.ts';

export class IpvsBalancer extends BaseBalancer {
  readonly mode = 'ipvs' as const;
  private next = new Map<string, number>();

  protected affinityScope(req: PickRequest): string {
    // IPVS persistence templates belong to the virtual server.
    return req.virtualServer;
  }

  protected choose(req: PickRequest): { endpoint: BackendEndpoint; detail: string } {
    const n = req.endpoints.length;
    const i = (this.next.get(req.virtualServer) ?? 0) % n;
    this.next.set(req.virtualServer, i + 1);
    const e = req.endpoints[i]!;
    return {
      endpoint: e,
      detail: n === 1 ? `kube-proxy (ipvs rr): ${epKey(e)} is the only real server` : `kube-proxy (ipvs rr): next in round-robin order is ${epKey(e)} (${i + 1} of ${n})`,
    };
  }
}
