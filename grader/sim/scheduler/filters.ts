/**
 * The default filter plugins, in kube-scheduler's order (pkg/scheduler/apis/config/v1/
 * default_plugins.go): NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts,
 * NodeResourcesFit, VolumeBinding, InterPodAffinity. A node fails on the first plugin that
 * rejects it, as framework.RunFilterPlugins stops there; the reasons are the plugins' own
 * strings, which FailedScheduling events count per node.
 */
import { compareStrings } from '../../util/compare.ts';
import type { KubeObject, Labels, LabelSelector, Node, Pod } from '../api/types.ts';
import { selectorMatches } from '../api/types.ts';
import type { ClusterContext } from '../runtime/context.ts';
import { parseQuantity } from './quantity.ts';
import { allocatableOf } from './allocatable.ts';
import type { NodeUsage } from './cache.ts';
import { portKey } from './cache.ts';
import type { HostPort, PodRequests } from './resources.ts';
import { firstUntoleratedTaint, matchesNodeSelectorAndAffinity, nodeSelectorMatches, tolerated } from './taints.ts';
import { isBound, isWaitForFirstConsumer, resolveClaimClass } from '../controllers/volume/classes.ts';

export interface NodeVerdict {
  reasons: string[];
  /** UnschedulableAndUnresolvable: preemption cannot help on this node. */
  unresolvable: boolean;
}

export const Reasons = {
  unschedulable: 'node(s) were unschedulable',
  affinity: "node(s) didn't match Pod's node affinity/selector",
  ports: "node(s) didn't have free ports for the requested pod ports",
  tooManyPods: 'Too many pods',
  volumeNodeAffinity: 'node(s) had volume node affinity conflict',
  antiAffinity: "node(s) didn't match pod anti-affinity rules",
  existingAntiAffinity: "node(s) didn't satisfy existing pods anti-affinity rules",
  podAffinity: "node(s) didn't match pod affinity rules",
  unboundImmediate: 'pod has unbound immediate PersistentVolumeClaims',
} as const;

export function taintReason(t: { key: string; value?: string }): string {
  return `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`;
}

/** What the filters need about the pod, computed once per scheduling attempt. */
export interface PodFacts {
  pod: Pod;
  requests: PodRequests;
  hostPorts: HostPort[];
  /** PVs (already bound) whose node affinity restricts placement. */
  boundVolumes: KubeObject[];
  antiAffinity: AffinityTerm[];
  affinity: AffinityTerm[];
}

export interface AffinityTerm {
  selector: LabelSelector;
  topologyKey: string;
  namespaces: string[];
}

export interface ClusterView {
  nodes: Node[];
  usage(node: string): NodeUsage;
  podsOnNode(node: string): Pod[];
  /** Pods anywhere with required anti-affinity terms (few), to honour them symmetrically. */
  podsWithAntiAffinity(): Pod[];
}

export function affinityTerms(pod: Pod, which: 'podAffinity' | 'podAntiAffinity'): AffinityTerm[] {
  const terms = pod.spec?.affinity?.[which]?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  return terms.map((t: any) => ({
    selector: t.labelSelector ?? {},
    topologyKey: t.topologyKey,
    namespaces: t.namespaces?.length ? t.namespaces : [pod.metadata.namespace ?? 'default'],
  }));
}

/** PreFilter of VolumeBinding: claims that must exist, and immediate claims that must be bound. */
export function preFilterVolumes(ctx: ClusterContext, pod: Pod): { reason: string; bound: KubeObject[] } | { reason?: undefined; bound: KubeObject[] } {
  const bound: KubeObject[] = [];
  for (const v of pod.spec?.volumes ?? []) {
    const claimName = v.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    const pvc = ctx.store.get('PersistentVolumeClaim', pod.metadata.namespace, claimName);
    if (!pvc) return { reason: `persistentvolumeclaim "${claimName}" not found`, bound };
    if (pvc.metadata.deletionTimestamp) return { reason: `persistentvolumeclaim "${claimName}" is being deleted`, bound };
    if (isBound(pvc)) {
      const pv = ctx.store.get('PersistentVolume', undefined, pvc.spec.volumeName);
      if (pv) bound.push(pv);
      continue;
    }
    if (!isWaitForFirstConsumer(resolveClaimClass(ctx, pvc))) return { reason: Reasons.unboundImmediate, bound };
  }
  return { bound };
}

function allocatable(node: Node, name: string): number {
  const a = allocatableOf(node);
  if (name === 'cpu') return a.cpu;
  if (name === 'memory') return a.memory;
  if (name === 'pods') return a.pods;
  return parseQuantity(node.status?.allocatable?.[name]) ?? 0;
}

/** Run the filters on one node; undefined when the pod fits. */
export function filterNode(facts: PodFacts, node: Node, view: ClusterView): NodeVerdict | undefined {
  const pod = facts.pod;
  // NodeUnschedulable
  if (node.spec?.unschedulable && !tolerated(pod.spec?.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
    return { reasons: [Reasons.unschedulable], unresolvable: true };
  }
  // TaintToleration
  const taint = firstUntoleratedTaint(pod, node);
  if (taint) return { reasons: [taintReason(taint)], unresolvable: true };
  // NodeAffinity
  if (!matchesNodeSelectorAndAffinity(pod, node)) return { reasons: [Reasons.affinity], unresolvable: true };
  const usage = view.usage(node.metadata.name);
  // NodePorts
  for (const p of facts.hostPorts) {
    const conflict = p.ip === '0.0.0.0'
      ? [...usage.ports.keys()].some((k) => k.startsWith(`${p.protocol}/`) && k.endsWith(`/${p.port}`))
      : usage.ports.has(portKey(p)) || usage.ports.has(portKey({ ...p, ip: '0.0.0.0' }));
    if (conflict) return { reasons: [Reasons.ports], unresolvable: false };
  }
  // NodeResourcesFit: every insufficient resource is a reason of its own. This runs for every
  // (pod, node) pair, so the reasons array is only made when a resource is short.
  let reasons: string[] | undefined;
  if (usage.pods + 1 > allocatable(node, 'pods')) (reasons ??= []).push(Reasons.tooManyPods);
  if (facts.requests.cpu > 0 && usage.cpu + facts.requests.cpu > allocatable(node, 'cpu')) (reasons ??= []).push('Insufficient cpu');
  if (facts.requests.memory > 0 && usage.memory + facts.requests.memory > allocatable(node, 'memory')) (reasons ??= []).push('Insufficient memory');
  if (hasKeys(facts.requests.other)) {
    for (const [name, amount] of Object.entries(facts.requests.other).sort(([a], [b]) => compareStrings(a, b))) {
      if (amount > 0 && (usage.other[name] ?? 0) + amount > allocatable(node, name)) (reasons ??= []).push(`Insufficient ${name}`);
    }
  }
  if (reasons) return { reasons, unresolvable: false };
  // VolumeBinding: bound volumes must be reachable from the node (local-path PVs are node-local).
  for (const pv of facts.boundVolumes) {
    if (!nodeSelectorMatches(pv.spec?.nodeAffinity?.required, node)) return { reasons: [Reasons.volumeNodeAffinity], unresolvable: true };
  }
  // InterPodAffinity
  const verdict = interPodAffinity(facts, node, view);
  if (verdict) return verdict;
  return undefined;
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

function domainNodes(view: ClusterView, node: Node, key: string): Node[] | undefined {
  const value = node.metadata.labels?.[key];
  if (value === undefined) return undefined;
  if (key === 'kubernetes.io/hostname') return [node];
  return view.nodes.filter((n) => n.metadata.labels?.[key] === value);
}

function termMatchesPod(term: AffinityTerm, p: Pod): boolean {
  return term.namespaces.includes(p.metadata.namespace ?? 'default') && selectorMatches(term.selector, p.metadata.labels as Labels);
}

function livePods(view: ClusterView, nodes: Node[]): Pod[] {
  const out: Pod[] = [];
  for (const n of nodes) for (const p of view.podsOnNode(n.metadata.name)) if (p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed') out.push(p);
  return out;
}

function interPodAffinity(facts: PodFacts, node: Node, view: ClusterView): NodeVerdict | undefined {
  const pod = facts.pod;
  for (const term of facts.antiAffinity) {
    const nodes = domainNodes(view, node, term.topologyKey);
    if (!nodes) continue;
    if (livePods(view, nodes).some((p) => p.metadata.uid !== pod.metadata.uid && termMatchesPod(term, p))) {
      return { reasons: [Reasons.antiAffinity], unresolvable: false };
    }
  }
  // Existing pods' anti-affinity applies to the incoming pod too (symmetry).
  for (const other of view.podsWithAntiAffinity()) {
    if (!other.spec?.nodeName || other.metadata.uid === pod.metadata.uid) continue;
    const otherNode = view.nodes.find((n) => n.metadata.name === other.spec.nodeName);
    if (!otherNode) continue;
    for (const term of affinityTerms(other, 'podAntiAffinity')) {
      const a = otherNode.metadata.labels?.[term.topologyKey];
      if (a === undefined || node.metadata.labels?.[term.topologyKey] !== a) continue;
      if (termMatchesPod(term, pod)) return { reasons: [Reasons.existingAntiAffinity], unresolvable: false };
    }
  }
  for (const term of facts.affinity) {
    const nodes = domainNodes(view, node, term.topologyKey);
    const matched = nodes ? livePods(view, nodes).some((p) => termMatchesPod(term, p)) : false;
    if (matched) continue;
    // The first pod of a group may land anywhere if it matches its own term and nothing else matches yet.
    const anywhere = view.nodes.some((n) => livePods(view, [n]).some((p) => termMatchesPod(term, p)));
    if (!anywhere && termMatchesPod(term, pod) && nodes) continue;
    return { reasons: [Reasons.podAffinity], unresolvable: true };
  }
  return undefined;
}
