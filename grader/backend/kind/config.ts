/**
 * kind cluster configuration, generated from a lab's cluster shape. Pure: the same shape
 * gives the same YAML, so it can be unit-tested and shown to users.
 */
import YAML from 'yaml';
import type { ClusterShape } from '../types.ts';

/**
 * Pinned node image: Kubernetes 1.31 as built for kind v0.29.0 (digest from kind's release
 * notes; kind asks users to pin the digest because the image format changes between releases).
 */
export const KIND_NODE_IMAGE = 'kindest/node:v1.31.9@sha256:b94a3a6c06198d17f59cca8c6f486236fa05e2fb359cbd75dabbfc348a10b211';
export const KIND_VERSION_TESTED = 'v0.29.0';

/** ingress-nginx as kind's ingress guide installs it (the provider manifest with hostPorts 80/443). */
export const INGRESS_NGINX_MANIFEST = 'https://kind.sigs.k8s.io/examples/ingress/deploy-ingress-nginx.yaml';
/** MetalLB in L2 mode, the LoadBalancer provider kind's older guide used; pinned. */
export const METALLB_MANIFEST = 'https://raw.githubusercontent.com/metallb/metallb/v0.14.9/config/manifests/metallb-native.yaml';

export interface KindConfigOptions {
  /** Map the ingress ports to the host (kind's ingress guide). Only one cluster per host can take 80/443. */
  hostPorts?: { http: number; https: number };
  nodeImage?: string;
}

export function generateKindConfig(shape: ClusterShape, opts: KindConfigOptions = {}): string {
  const image = opts.nodeImage ?? KIND_NODE_IMAGE;
  const controlPlane: Record<string, unknown> = { role: 'control-plane', image };
  if (shape.ingress) {
    // kind's ingress guide: label the node ingress-ready and publish 80/443 on the host.
    controlPlane.kubeadmConfigPatches = [
      'kind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs:\n    node-labels: "ingress-ready=true"\n',
    ];
    if (opts.hostPorts) {
      controlPlane.extraPortMappings = [
        { containerPort: 80, hostPort: opts.hostPorts.http, protocol: 'TCP' },
        { containerPort: 443, hostPort: opts.hostPorts.https, protocol: 'TCP' },
      ];
    }
  }
  const nodes = [controlPlane, ...Array.from({ length: shape.workers }, () => ({ role: 'worker', image }))];
  const config: Record<string, unknown> = {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    networking: {
      // kind's defaults, written out so the simulator and the real cluster agree on paper.
      podSubnet: '10.244.0.0/16',
      serviceSubnet: '10.96.0.0/16',
      ...(shape.proxyMode === 'ipvs' ? { kubeProxyMode: 'ipvs' } : {}),
    },
    nodes,
  };
  return YAML.stringify(config);
}

/**
 * The MetalLB address pool: the top of kind's docker network, as kind's LoadBalancer guide
 * does (e.g. 172.18.255.200-172.18.255.250 for 172.18.0.0/16).
 */
export function metallbPoolFor(dockerSubnet: string): { first: string; last: string } {
  const m = /^(\d+)\.(\d+)\.\d+\.\d+\/(\d+)$/.exec(dockerSubnet.trim());
  if (!m) throw new Error(`unexpected docker network subnet "${dockerSubnet}" (want IPv4 CIDR)`);
  const prefix = Number(m[3]);
  if (prefix > 16) {
    // A small network: take the last 50 addresses below the broadcast.
    const base = dockerSubnet.split('/')[0]!.split('.').map(Number);
    const size = 2 ** (32 - prefix);
    const start = ((base[0]! << 24) | (base[1]! << 16) | (base[2]! << 8) | base[3]!) >>> 0;
    const first = start + Math.max(1, size - 56);
    const last = start + size - 6;
    const ip = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
    return { first: ip(first), last: ip(last) };
  }
  return { first: `${m[1]}.${m[2]}.255.200`, last: `${m[1]}.${m[2]}.255.250` };
}

export function metallbPoolManifests(pool: { first: string; last: string }): Record<string, unknown>[] {
  return [
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'kubelab', namespace: 'metallb-system' },
      spec: { addresses: [`${pool.first}-${pool.last}`] },
    },
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata: { name: 'kubelab', namespace: 'metallb-system' },
    },
  ];
}
