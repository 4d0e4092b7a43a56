/**
 * The Node objects kind creates: `kind-control-plane` then `kind-worker`, `kind-worker2`, …,
 * docker network addresses 172.18.0.2, .3, … and podCIDRs 10.244.0.0/24, 10.244.1.0/24, …
 * handed out by kube-controller-manager's range allocator in registration order.
 * Sources: kind pkg/cluster/internal/create/actions/config (node naming), kind's default
 * docker network 172.18.0.0/16, kubeadm's control-plane taint and label.
 */
import type { Node } from '../api/types.ts';
import type { ClusterConfig } from '../runtime/context.ts';

export const CONTROL_PLANE = 'kind-control-plane';
export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' } as const;

/** What a kind node container reports: the host's resources (kind reserves nothing). */
export const NODE_RESOURCES = {
  cpu: '8',
  'ephemeral-storage': '102626232Ki',
  'hugepages-1Gi': '0',
  'hugepages-2Mi': '0',
  memory: '16331484Ki',
  pods: '110',
} as const;

/** kind names workers kind-worker, kind-worker2, kind-worker3 … */
export function workerName(n: number): string {
  return n === 1 ? 'kind-worker' : `kind-worker${n}`;
}

/** 172.18.0.(2+index): index 0 is the control plane. */
export function nodeIP(index: number): string {
  const host = 2 + index;
  return `172.18.${Math.floor(host / 256)}.${host % 256}`;
}

/** The index-th /24 of the cluster pod CIDR (10.244.0.0/16 → 10.244.<index>.0/24). */
export function nodePodCIDR(clusterCIDR: string, index: number): string {
  const [base] = clusterCIDR.split('/');
  const o = base!.split('.').map(Number);
  const n = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8)) >>> 0;
  const v = (n + index * 256) >>> 0;
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.0/24`;
}

export interface NodeShape {
  name: string;
  /** Position in registration order: picks the IP and the podCIDR. */
  index: number;
  controlPlane: boolean;
}

export function buildNode(shape: NodeShape, config: ClusterConfig, now: string, hasWorkers: boolean): Node {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': shape.name,
    'kubernetes.io/os': 'linux',
  };
  if (shape.controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
    // kind's ingress guide patches the control plane with node-labels "ingress-ready=true".
    if (config.ingressNginx) labels['ingress-ready'] = 'true';
  }
  const cidr = nodePodCIDR(config.podCIDR, shape.index);
  const ip = nodeIP(shape.index);
  // kind removes the control-plane taint when the cluster has no workers, so pods can run.
  const taints = shape.controlPlane && hasWorkers ? [{ ...CONTROL_PLANE_TAINT }] : undefined;
  const version = `v${config.kubernetesVersion}.0`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: shape.name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: cidr,
      podCIDRs: [cidr],
      providerID: `kind://docker/kind/${shape.name}`,
      ...(taints ? { taints } : {}),
    } as Node['spec'],
    status: {
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: shape.name },
      ],
      allocatable: { ...NODE_RESOURCES },
      capacity: { ...NODE_RESOURCES },
      conditions: readyConditions(now),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        containerRuntimeVersion: 'containerd://1.7.18',
        kernelVersion: '6.8.0-generic',
        kubeProxyVersion: version,
        kubeletVersion: version,
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
      },
    } as Node['status'],
  };
}

/** The conditions a healthy kubelet posts (pkg/kubelet/nodestatus/setters.go). */
export function readyConditions(now: string): Node['status']['conditions'] {
  const c = (type: string, status: 'True' | 'False', reason: string, message: string) =>
    ({ type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function nodeInternalIP(node: Node): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

export function nodeReadyStatus(node: Node): 'True' | 'False' | 'Unknown' {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown';
}
