/**
 * STUB — owned by the networking work. Installs the EndpointSlice controller, the
 * LoadBalancer controller, kube-proxy (iptables or IPVS), CoreDNS and ingress-nginx, and
 * returns the probes: DNS, HTTP(S) and TCP from a pod or from outside, each with its trace.
 */
import type { ClusterContext } from './runtime/context.ts';
import type { WorkloadOps } from './install-workloads.ts';
import type { DnsQuery, DnsResult, HttpProbe, HttpResult, TcpProbe, TcpResult } from '../backend/types.ts';

export interface SimNetwork {
  dns(q: DnsQuery): DnsResult;
  http(p: HttpProbe): HttpResult;
  tcp(p: TcpProbe): TcpResult;
}

export function installNetwork(_ctx: ClusterContext, _workloads: WorkloadOps): SimNetwork {
  throw new Error('not implemented');
}
