/**
 * What a submission may do on a shared real cluster. Checked before anything is applied, so
 * an untrusted manifest never reaches the apiserver: privileged or host-level pods, kinds the
 * lab does not use, and NodePorts outside the lab's allotment are refused with a reason.
 */
import type { KubeObject } from '../../sim/api/types.ts';
import type { LoadedDocument } from '../../manifests/types.ts';

/** Namespaced kinds a networking lab needs; a lab may narrow or widen this with `allowedKinds`. */
export const DEFAULT_ALLOWED_KINDS = [
  'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Service', 'Endpoints', 'EndpointSlice',
  'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'Ingress', 'Namespace', 'ServiceAccount', 'Job',
] as const;

export interface SafetyPolicy {
  allowedKinds: readonly string[];
  /** NodePorts a submission may request explicitly; ports left unset are allocated by the cluster. */
  nodePorts: { min: number; max: number } | readonly number[];
}

export interface Refusal {
  file: string;
  line?: number;
  object: string;
  reason: string;
}

const POD_TEMPLATE_PATHS: Record<string, (o: KubeObject) => any> = {
  Pod: (o) => o.spec,
  Deployment: (o) => o.spec?.template?.spec,
  ReplicaSet: (o) => o.spec?.template?.spec,
  StatefulSet: (o) => o.spec?.template?.spec,
  DaemonSet: (o) => o.spec?.template?.spec,
  Job: (o) => o.spec?.template?.spec,
};

function describe(o: KubeObject): string {
  return `${o.kind}/${o.metadata?.name ?? '?'}`;
}

function nodePortAllowed(policy: SafetyPolicy, port: number): boolean {
  const np = policy.nodePorts;
  if (Array.isArray(np)) return np.includes(port);
  const r = np as { min: number; max: number };
  return port >= r.min && port <= r.max;
}

function podSpecRefusals(spec: any): string[] {
  if (!spec || typeof spec !== 'object') return [];
  const out: string[] = [];
  if (spec.hostNetwork) out.push('spec.hostNetwork: true is not allowed: the pod would share the node\'s network');
  if (spec.hostPID) out.push('spec.hostPID: true is not allowed');
  if (spec.hostIPC) out.push('spec.hostIPC: true is not allowed');
  for (const v of spec.volumes ?? []) {
    if (v?.hostPath) out.push(`volume "${v.name}": hostPath volumes are not allowed; use an emptyDir or a PersistentVolumeClaim`);
  }
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const c of containers) {
    const sc = c?.securityContext ?? {};
    if (sc.privileged) out.push(`container "${c.name}": privileged containers are not allowed`);
    if (sc.allowPrivilegeEscalation === true && sc.capabilities?.add?.includes?.('SYS_ADMIN')) {
      out.push(`container "${c.name}": the SYS_ADMIN capability is not allowed`);
    }
    for (const p of c?.ports ?? []) {
      if (p?.hostPort) out.push(`container "${c.name}": hostPort ${p.hostPort} is not allowed; expose the pod through a Service`);
    }
  }
  return out;
}

/** Every reason to refuse these documents under the policy; empty when all may be applied. */
export function checkSafety(docs: LoadedDocument[], policy: SafetyPolicy): Refusal[] {
  const refusals: Refusal[] = [];
  const allowed = new Set(policy.allowedKinds);
  for (const d of docs) {
    const o = d.object;
    const add = (reason: string) => refusals.push({ file: d.file, line: d.line, object: describe(o), reason });
    if (!allowed.has(o.kind)) {
      add(`kind ${o.kind} is not allowed in this lab (allowed: ${[...allowed].join(', ')})`);
      continue;
    }
    const podSpec = POD_TEMPLATE_PATHS[o.kind]?.(o);
    for (const r of podSpecRefusals(podSpec)) add(r);
    if (o.kind === 'Service') {
      for (const [i, p] of (o.spec?.ports ?? []).entries()) {
        if (p?.nodePort !== undefined && !nodePortAllowed(policy, Number(p.nodePort))) {
          add(`spec.ports[${i}].nodePort ${p.nodePort} is outside this lab's allotment on the shared cluster`);
        }
      }
      if (o.spec?.externalIPs?.length) add('spec.externalIPs is not allowed on the shared cluster');
    }
  }
  return refusals;
}

/**
 * A ResourceQuota that bounds one submission's namespace, so a runaway manifest (replicas:
 * 10000) fails at admission instead of starving the cluster.
 */
export function submissionQuota(namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'kubelab-submission', namespace },
    spec: {
      hard: {
        pods: '40',
        services: '20',
        'services.loadbalancers': '5',
        'services.nodeports': '10',
        persistentvolumeclaims: '10',
        'requests.storage': '50Gi',
        secrets: '30',
        configmaps: '30',
        'count/ingresses.networking.k8s.io': '10',
        'count/deployments.apps': '15',
        'count/statefulsets.apps': '10',
      },
    },
  };
}
