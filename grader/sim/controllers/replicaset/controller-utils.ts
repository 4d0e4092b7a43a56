/**
 * Helpers every workload controller shares (pkg/controller/controller_utils.go): owner
 * references, pods from a template, the order in which surplus pods are deleted, the hash
 * behind pod-template-hash and controller-revision-hash.
 */
import { cloneApi } from '../../api/clone.ts';
import type { KubeObject, OwnerReference, Pod } from '../../api/types.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import { ApiError } from '../../../errors.ts';
import { hashString } from '../../../util/rng.ts';
import { isPodReady, podCondition } from '../../kubelet/conditions.ts';

export function controllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export function controllerOf(o: KubeObject): OwnerReference | undefined {
  // A plain loop (Array.find's order and result): this runs for most watch events.
  const refs = o.metadata.ownerReferences;
  if (!refs) return undefined;
  for (let i = 0; i < refs.length; i++) if (refs[i]!.controller) return refs[i];
  return undefined;
}

export function isControlledBy(o: KubeObject, owner: KubeObject): boolean {
  const r = controllerOf(o);
  return !!r && r.uid === owner.metadata.uid;
}

/** apimachinery's rand.SafeEncodeString alphabet: no vowels, no 0/1/3, so names never spell words. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = canonical(x);
    }
    return out;
  }
  return v;
}

/**
 * controller.ComputeHash: a 32-bit FNV-1a of the template (and collisionCount), printed in
 * decimal and safe-encoded — hence hashes like `85db7b94cf` use only 4-9 and b,c,d,f.
 * The input is canonical JSON instead of Go's spew dump, so values differ from a real
 * cluster's but stay stable for the same template.
 */
export function computeHash(template: unknown, collisionCount?: number): string {
  let s = JSON.stringify(canonical(template));
  if (collisionCount) s += `#${collisionCount}`;
  return safeEncode(String(hashString(s)));
}

const storedHashes = new WeakMap<object, Map<number, string>>();

/**
 * computeHash of a template that belongs to a stored object. Stored objects are never
 * mutated (writes replace them), so the hash is remembered per template object: controllers
 * hash the same template on every sync.
 */
export function storedTemplateHash(template: object, collisionCount?: number): string {
  let m = storedHashes.get(template);
  if (!m) storedHashes.set(template, (m = new Map()));
  const cc = collisionCount ?? 0;
  let h = m.get(cc);
  if (h === undefined) m.set(cc, (h = computeHash(template, collisionCount)));
  return h;
}

/** A pod object from a template, as the controllers' PodControl creates it. */
export function podFromTemplate(owner: KubeObject, template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: unknown }, extra: { name?: string; generateName?: string; labels?: Record<string, string> } = {}): Pod {
  const meta: Pod['metadata'] = {
    name: extra.name ?? '',
    namespace: owner.metadata.namespace,
    labels: { ...(template.metadata?.labels ?? {}), ...(extra.labels ?? {}) },
    ownerReferences: [controllerRef(owner)],
  };
  if (!extra.name) {
    // names.SimpleNameGenerator: the base is cut to 58 characters before the 5 random ones.
    meta.generateName = (extra.generateName ?? `${owner.metadata.name}-`).slice(0, 58);
    delete (meta as { name?: string }).name;
  }
  if (template.metadata?.annotations) meta.annotations = { ...template.metadata.annotations };
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: cloneApi(template.spec ?? { containers: [] }) as Pod['spec'] };
}

/** Create through the apiserver; an API rejection becomes a FailedCreate event, as the controllers report it. */
export function createOrReport<T extends KubeObject>(ctx: ClusterContext, source: string, owner: KubeObject, obj: T): T | undefined {
  try {
    return ctx.api.create(obj);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    ctx.events.record(source, owner, 'Warning', 'FailedCreate', `Error creating: ${err.message}`);
    return undefined;
  }
}

export function deleteQuietly(ctx: ClusterContext, kind: string, namespace: string | undefined, name: string): void {
  try {
    ctx.api.delete(kind, namespace, name);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
  }
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Which surplus pods go first (controller.ActivePodsWithRanks.Less): unscheduled, then pending,
 * then not ready, then pods doubled up on a node with others of the same owner, then shorter
 * ready time, more restarts, newer; the name breaks remaining ties deterministically.
 */
export function podsToDelete(pods: Pod[], count: number): Pod[] {
  const perNode = new Map<string, number>();
  for (const p of pods) if (p.spec.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const readySince = (p: Pod) => podCondition(p, 'Ready')?.lastTransitionTime ?? '';
  const sorted = [...pods].sort((a, b) => {
    const an = a.spec.nodeName ? 1 : 0, bn = b.spec.nodeName ? 1 : 0;
    if (an !== bn) return an - bn;
    const ap = PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0, bp = PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0;
    if (ap !== bp) return ap - bp;
    const ar = isPodReady(a) ? 1 : 0, br = isPodReady(b) ? 1 : 0;
    if (ar !== br) return ar - br;
    const ad = perNode.get(a.spec.nodeName ?? '') ?? 0, bd = perNode.get(b.spec.nodeName ?? '') ?? 0;
    if (ad !== bd) return bd - ad;
    if (ar && br && readySince(a) !== readySince(b)) return readySince(a) > readySince(b) ? -1 : 1;
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
    const ac = a.metadata.creationTimestamp ?? '', bc = b.metadata.creationTimestamp ?? '';
    if (ac !== bc) return ac > bc ? -1 : 1;
    return a.metadata.name < b.metadata.name ? 1 : -1;
  });
  return sorted.slice(0, count);
}
