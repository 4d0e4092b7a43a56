/**
 * Taints and tolerations (k8s.io/api/core/v1 toleration.go ToleratesTaint, and
 * component-helpers/scheduling/corev1/nodeaffinity for node selectors).
 */
import type { Labels, Node, Pod, Toleration } from '../api/types.ts';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  // An empty key with Exists tolerates every taint.
  if (!t.key && t.operator !== 'Exists') return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

export function tolerated(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The first NoSchedule/NoExecute taint the pod does not tolerate (TaintToleration filter). */
export function firstUntoleratedTaint(pod: Pod, node: Node): Taint | undefined {
  // Asked for every (pod, node) pair, and most nodes have no taints: no empty array for them.
  const taints = node.spec?.taints as Taint[] | undefined;
  if (!taints) return undefined;
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerated(pod.spec?.tolerations, taint)) return taint;
  }
  return undefined;
}

interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}
interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

function requirementMatches(r: NodeSelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.operator) {
    case 'In': return has && (r.values ?? []).includes(v!);
    case 'NotIn': return !has || !(r.values ?? []).includes(v!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt': return has && Number(v) > Number(r.values?.[0]);
    case 'Lt': return has && Number(v) < Number(r.values?.[0]);
    default: return false;
  }
}

function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  // An empty term matches nothing (nodeaffinity.go: "nil or empty term matches no objects").
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  if (!exprs.every((r) => requirementMatches(r, labels))) return false;
  return fields.every((r) => r.key === 'metadata.name' && requirementMatches({ ...r, key: 'n' }, { n: node.metadata.name }));
}

/** nodeSelector plus required node affinity (NodeAffinity filter). */
export function matchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  // Called for every (pod, node) pair: walk the selector without Object.entries' arrays.
  const selector: Labels | undefined = pod.spec?.nodeSelector;
  if (selector) {
    for (const k in selector) if (Object.prototype.hasOwnProperty.call(selector, k) && labels[k] !== selector[k]) return false;
  }
  const terms: NodeSelectorTerm[] | undefined =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t) => termMatches(t, node))) return false;
  return true;
}

/** A PersistentVolume's spec.nodeAffinity.required against a node. */
export function nodeSelectorMatches(selector: { nodeSelectorTerms?: NodeSelectorTerm[] } | undefined, node: Node): boolean {
  if (!selector?.nodeSelectorTerms) return true;
  return selector.nodeSelectorTerms.some((t) => termMatches(t, node));
}
