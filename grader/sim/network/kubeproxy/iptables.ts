/**
 * kube-proxy in iptables mode (kind's default). For n endpoints the KUBE-SVC chain holds n
 * rules; rule i (0-based) matches with probability 1/(n−i) and the last always matches, so
 * each endpoint gets 1/n of new connections *on average* — a random draw per connection, not
 * round-robin (k8s pkg/proxy/iptables/proxier.go, writeServiceToEndpointRules).
 */
import { type BackendEndpoint, BaseBalancer, type PickRequest, epKey } from './balancer.ts';

export class IptablesBalancer extends BaseBalancer {
  readonly mode = 'iptables' as const;

  protected affinityScope(req: PickRequest): string {
    // The `recent` lists belong to the endpoint chains of the Service port, whichever
    // address (ClusterIP, NodePort, LB IP) the packet entered by.
    return req.servicePort;
  }

  protected choose(req: PickRequest): { endpoint: BackendEndpoint; detail: string } {
    const n = req.endpoints.length;
    for (let i = 0; i < n - 1; i++) {
      if (this.rng.next() < 1 / (n - i)) return this.describe(req.endpoints[i]!, n);
    }
    return this.describe(req.endpoints[n - 1]!, n);
  }

  private describe(e: BackendEndpoint, n: number) {
    return {
      endpoint: e,
      detail: n === 1 ? `kube-proxy (iptables): ${epKey(e)} is the only ready endpoint` : `kube-proxy (iptables): picked ${epKey(e)} at random among ${n} ready endpoints`,
    };
  }
}
