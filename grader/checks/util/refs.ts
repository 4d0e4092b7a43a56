/** Naming objects the way kubectl does in messages: `Service default/web`, `Node kind-worker`. */
import type { Labels } from '../../sim/api/types.ts';

/** Kinds without a namespace; everything else defaults to `default` like kubectl. */
const CLUSTER_SCOPED = new Set([
  'Node', 'Namespace', 'PersistentVolume', 'StorageClass', 'IngressClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'PriorityClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'APIService',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}

export function namespaceFor(kind: string, namespace: string | undefined): string | undefined {
  return isClusterScoped(kind) ? undefined : (namespace ?? 'default');
}

export function describeRef(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

/**
 * A kind in the plural for messages ("found 0 Ingresses"), as English and kubectl's own
 * resource names have it (ingresses, networkpolicies); `Endpoints` is already plural.
 */
export function kindPlural(kind: string, count = 2): string {
  if (count === 1 || kind === 'Endpoints') return kind;
  if (/(s|x|z|ch|sh)$/.test(kind)) return `${kind}es`;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}

/** `app=web,tier=front`, as `kubectl get -l` takes it. */
export function labelString(sel: Labels | undefined): string {
  return Object.entries(sel ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function labelsMatch(sel: Labels | undefined, labels: Labels | undefined): boolean {
  for (const [k, v] of Object.entries(sel ?? {})) if (labels?.[k] !== v) return false;
  return true;
}

/** A value as a short phrase for messages: lists comma-joined, nothing as "nothing". */
export function show(v: unknown): string {
  if (v === undefined) return '(not set)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') : 'nothing';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
