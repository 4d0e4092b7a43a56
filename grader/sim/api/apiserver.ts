/**
 * The simulated apiserver: a generic store plus one strategy per kind (k8s pkg/registry
 * style). Every write — `kubectl apply` from students, create/update/updateStatus/delete from
 * controllers — goes through the same steps as the real request path:
 *
 *   resolve kind (NoKindMatch) → decode checks (BadRequest) → namespace lifecycle →
 *   defaulting → mutating admission → PrepareForCreate/Update → Begin hooks (IP/port
 *   allocation) → ObjectMeta + kind validation (Invalid, allocations reverted) → store.
 *
 * Allocation uses seeded RNG streams, uids too, and timestamps come from the virtual clock,
 * so a seed reproduces every ClusterIP, nodePort and uid.
 */
import type { ObjectStore } from './store.ts';
import type { KubeObject, PodCondition } from './types.ts';
import { putCondition } from '../kubelet/conditions.ts';
import type { ApiWriter, ClusterConfig, DeleteOptions, EventRecorder } from '../runtime/context.ts';
import type { VirtualClock } from '../../util/clock.ts';
import type { Rng } from '../../util/rng.ts';
import { ApiError, ApiErrorReason } from '../../errors.ts';
import { type KindInfo, KindRegistry, qualifiedResource } from './kinds.ts';
import { type Strategy, type StrategyContext, strategyFor } from './registry/index.ts';
import { checkDecodable } from './validation/decode.ts';
import { invalidError } from './validation/field.ts';
import { validateObjectMeta } from './validation/meta.ts';
import { admitCreate } from './admission/index.ts';
import { ClusterIPAllocator, intToIp, ipToInt } from './allocators/cluster-ip.ts';
import { NodePortAllocator } from './allocators/node-port.ts';
import { canonicalJson, deepEqual, threeWayMerge } from './apply/merge.ts';
import { cloneApi } from './clone.ts';

export interface ApiServerDeps {
  store: ObjectStore;
  clock: VirtualClock;
  rng: Rng;
  config: ClusterConfig;
  /** Shared warnings list: e.g. "stored without simulated behaviour". */
  warnings: string[];
  events: EventRecorder;
}

export interface ApplyOutcome {
  action: 'created' | 'configured' | 'unchanged';
  /** The namespace the object landed in (defaulted to `default` for namespaced kinds), undefined for cluster-scoped. */
  namespace?: string;
}

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;
/** apimachinery pkg/util/rand: generated-name suffixes avoid vowels and look-alike characters. */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATED_NAME_LENGTH = 63 - 5;

function notFound(info: KindInfo, name: string): ApiError {
  return new ApiError(ApiErrorReason.NotFound, `${qualifiedResource(info)} "${name}" not found`, 404);
}

function badRequest(message: string): ApiError {
  return new ApiError(ApiErrorReason.BadRequest, message, 400);
}

/** Fields the server owns: a client's values are ignored on create. */
function clearSystemMeta(obj: KubeObject): void {
  const m = obj.metadata;
  delete m.uid;
  delete m.resourceVersion;
  delete m.creationTimestamp;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.generation;
  delete m.managedFields;
  delete m.selfLink;
}

export class SimApiServer implements ApiWriter {
  /** Served kinds, including those CRDs add. */
  readonly kinds = new KindRegistry();
  readonly clusterIPs: ClusterIPAllocator;
  readonly nodePorts: NodePortAllocator;
  private readonly uidRng: Rng;
  private readonly nameRng: Rng;

  constructor(readonly deps: ApiServerDeps) {
    this.clusterIPs = new ClusterIPAllocator(deps.config.serviceCIDR, deps.rng.fork('cluster-ip'));
    this.nodePorts = new NodePortAllocator(deps.rng.fork('node-port'));
    this.uidRng = deps.rng.fork('uid');
    this.nameRng = deps.rng.fork('generate-name');
  }

  /** System namespaces (default, kube-system, kube-public, kube-node-lease) and the `kubernetes` Service. */
  bootstrap(): void {
    for (const name of SYSTEM_NAMESPACES) {
      if (!this.deps.store.get('Namespace', undefined, name)) this.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
    if (!this.deps.store.get('Service', 'default', 'kubernetes')) {
      this.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: { clusterIP: this.firstServiceIP(), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
      });
    }
  }

  /** 10.96.0.1 for kind's 10.96.0.0/16: the apiserver takes the first address of the range. */
  firstServiceIP(): string {
    const base = ipToInt(this.deps.config.serviceCIDR.split('/')[0]!)!;
    return intToIp(base + 1);
  }

  /** kubectl apply of one object: create, or update in place. Throws ApiError as the apiserver would. */
  apply(obj: KubeObject): ApplyOutcome {
    const info = this.kinds.resolve(obj?.apiVersion, obj?.kind);
    checkDecodable(obj);
    const applied = cloneApi(obj);
    this.normalizeNamespace(info, applied);
    const namespace = applied.metadata.namespace;
    const name = applied.metadata.name;
    if (!name) {
      throw badRequest(applied.metadata.generateName ? 'cannot use generate name with apply' : 'resource name may not be empty');
    }
    const annotations = { ...(applied.metadata.annotations ?? {}) };
    delete annotations[LAST_APPLIED_ANNOTATION];
    const recorded = cloneApi(applied);
    if (Object.keys(annotations).length) recorded.metadata.annotations = annotations;
    else delete recorded.metadata.annotations;
    applied.metadata.annotations = { ...annotations, [LAST_APPLIED_ANNOTATION]: canonicalJson(recorded) };

    const warn = () => {
      if (!info.modelled) this.deps.warnings.push(`Warning: ${info.kind} "${name}" stored; the simulator does not model its behaviour`);
    };
    const live = this.deps.store.get(info.kind, namespace, name);
    if (!live) {
      this.createResolved(info, applied);
      warn();
      return { action: 'created', namespace };
    }
    const originalText = live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
    let original: object | undefined;
    if (originalText) {
      try {
        original = JSON.parse(originalText);
      } catch {
        original = undefined;
      }
    } else {
      this.deps.warnings.push(
        `Warning: resource ${qualifiedResource(info)}/${name} is missing the ${LAST_APPLIED_ANNOTATION} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.`,
      );
    }
    const merged = threeWayMerge(original, applied, live);
    if (deepEqual(merged, live)) {
      warn();
      return { action: 'unchanged', namespace };
    }
    this.updateResolved(info, merged, live);
    warn();
    return { action: 'configured', namespace };
  }

  create<T extends KubeObject>(obj: T): T {
    const info = this.kinds.resolve(obj?.apiVersion, obj?.kind);
    checkDecodable(obj);
    const o = cloneApi(obj);
    this.normalizeNamespace(info, o);
    return this.createResolved(info, o) as T;
  }

  update<T extends KubeObject>(obj: T): T {
    const info = this.kinds.resolve(obj?.apiVersion, obj?.kind);
    checkDecodable(obj);
    const o = cloneApi(obj);
    this.normalizeNamespace(info, o);
    const old = this.deps.store.get(info.kind, o.metadata.namespace, o.metadata.name);
    if (!old) throw notFound(info, o.metadata.name);
    return this.updateResolved(info, o, old) as T;
  }

  /** The /status subresource: only status changes; an identical status writes nothing. */
  updateStatus<T extends KubeObject>(obj: T): T {
    const info = this.kinds.resolve(obj?.apiVersion, obj?.kind);
    const ns = info.namespaced ? obj.metadata.namespace || 'default' : undefined;
    const old = this.deps.store.get(info.kind, ns, obj.metadata.name);
    if (!old) throw notFound(info, obj.metadata.name);
    if (deepEqual(obj.status, old.status)) return old as T;
    // Only status (and resourceVersion, which put sets) differ from the stored version, so the
    // rest is shared with it: stored objects are immutable by contract (store.ts), and a
    // deep clone of spec per status write was the simulator's largest single cost.
    const next = { ...old, metadata: { ...old.metadata }, status: cloneApi(obj.status) };
    return this.deps.store.put(next) as T;
  }

  /**
   * POST pods/<name>/binding, as the scheduler binds (pkg/registry/core/pod/storage/storage.go
   * BindingREST: assignPod → setPodNodeAndMetadata): a pod not yet assigned and not being deleted
   * gets spec.nodeName and the condition PodScheduled=True (podutil.UpdatePodCondition). Not a
   * pod update: the subresource does not run the pod's update validation, which forbids
   * changing nodeName.
   */
  bind(namespace: string, name: string, nodeName: string): KubeObject {
    const info = this.kinds.byKindName('Pod')!;
    const pod = this.deps.store.get('Pod', namespace, name);
    if (!pod) throw notFound(info, name);
    if (pod.metadata.deletionTimestamp) throw new ApiError(ApiErrorReason.Conflict, `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is being deleted, cannot be assigned to a host`, 409);
    if (pod.spec?.nodeName) throw new ApiError(ApiErrorReason.Conflict, `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${pod.spec.nodeName}"`, 409);
    // UpdatePodCondition on a copy of the array: the transition time moves only when the status changes.
    const conditions: PodCondition[] = [...((pod.status?.conditions ?? []) as PodCondition[])];
    putCondition(conditions, this.deps.clock.iso(), 'PodScheduled', 'True');
    // Stored objects are immutable: the new version shares what it does not change.
    const next = { ...pod, metadata: { ...pod.metadata }, spec: { ...pod.spec, nodeName }, status: { ...(pod.status ?? {}), conditions } };
    return this.deps.store.put(next as KubeObject);
  }

  /** Delete. Pods get a deletionTimestamp and are removed when the kubelet confirms (a delete with grace 0). */
  delete(kind: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): void {
    const info = this.kinds.byKindName(kind);
    if (!info) throw new ApiError(ApiErrorReason.NotFound, `the server doesn't have a resource type "${kind}"`, 404);
    const ns = info.namespaced ? namespace || 'default' : undefined;
    const obj = this.deps.store.get(kind, ns, name);
    if (!obj) throw notFound(info, name);
    if (kind === 'Namespace') return this.deleteNamespace(obj);
    const grace = opts.force ? 0 : opts.gracePeriodSeconds;
    if (kind === 'Pod') return this.deletePod(obj, grace);
    if ((obj.metadata.finalizers ?? []).length > 0) {
      if (!obj.metadata.deletionTimestamp) {
        this.deps.store.put({ ...obj, metadata: { ...obj.metadata, deletionTimestamp: this.deps.clock.iso(), deletionGracePeriodSeconds: 0 } });
      }
      return;
    }
    this.removeObject(info, obj);
  }

  /** The strategy context a kind's strategy sees. */
  private ctxFor(info: KindInfo): StrategyContext {
    return { store: this.deps.store, config: this.deps.config, clock: this.deps.clock, clusterIPs: this.clusterIPs, nodePorts: this.nodePorts, info };
  }

  private normalizeNamespace(info: KindInfo, obj: KubeObject): void {
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = { name: '' };
    if (info.namespaced) obj.metadata.namespace = obj.metadata.namespace || 'default';
    else delete obj.metadata.namespace; // rest.BeforeCreate clears it for cluster-scoped kinds
  }

  /** NamespaceLifecycle admission: the namespace must exist and not be terminating. */
  private checkNamespace(info: KindInfo, obj: KubeObject): void {
    if (!info.namespaced) return;
    const ns = this.deps.store.get('Namespace', undefined, obj.metadata.namespace!);
    if (!ns) throw new ApiError(ApiErrorReason.NotFound, `namespaces "${obj.metadata.namespace}" not found`, 404);
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(
        ApiErrorReason.Forbidden,
        `${qualifiedResource(info)} "${obj.metadata.name || obj.metadata.generateName || ''}" is forbidden: unable to create new content in namespace ${ns.metadata.name} because it is being terminated`,
        403,
      );
    }
  }

  private generateName(base: string): string {
    const prefix = base.length > MAX_GENERATED_NAME_LENGTH ? base.slice(0, MAX_GENERATED_NAME_LENGTH) : base;
    return prefix + this.nameRng.string(5, NAME_SUFFIX_ALPHABET);
  }

  private newUid(): string {
    // 32 hex digits with the version (4) at 12 and the variant (8-b) at 16, same draws in the same order.
    const h = this.uidRng.string(32, '0123456789abcdef');
    const variant = '89ab'[this.uidRng.int(4)]!;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
  }

  private createResolved(info: KindInfo, o: KubeObject): KubeObject {
    const strategy = strategyFor(info);
    const ctx = this.ctxFor(info);
    clearSystemMeta(o);
    if (!o.metadata.name && o.metadata.generateName) {
      // Retry on collision, as the registry does with generateName.
      let name = this.generateName(o.metadata.generateName);
      for (let i = 0; i < 8 && this.deps.store.get(info.kind, o.metadata.namespace, name); i++) name = this.generateName(o.metadata.generateName);
      o.metadata.name = name;
    }
    this.checkNamespace(info, o);
    strategy.defaults?.(o, ctx);
    admitCreate(o, { store: this.deps.store, config: this.deps.config });
    strategy.prepareForCreate?.(o, ctx);
    o.metadata.uid = this.newUid();
    o.metadata.creationTimestamp = this.deps.clock.iso();
    if (strategy.tracksGeneration) o.metadata.generation = 1;
    const txn = strategy.beginCreate?.(o, ctx);
    const errs = [...validateObjectMeta(o, info.namespaced, strategy.nameValidator), ...strategy.validate(o, ctx)];
    if (errs.length) {
      txn?.revert();
      throw invalidError(info.kind, o.metadata.name ?? '', errs);
    }
    if (this.deps.store.get(info.kind, o.metadata.namespace, o.metadata.name)) {
      txn?.revert();
      throw new ApiError(ApiErrorReason.AlreadyExists, `${qualifiedResource(info)} "${o.metadata.name}" already exists`, 409);
    }
    txn?.commit();
    if (info.kind === 'CustomResourceDefinition') this.kinds.registerCRD(o);
    return this.deps.store.put(o);
  }

  private updateResolved(info: KindInfo, o: KubeObject, old: KubeObject): KubeObject {
    const strategy = strategyFor(info);
    const ctx = this.ctxFor(info);
    const m = o.metadata;
    const om = old.metadata;
    m.uid = om.uid;
    m.creationTimestamp = om.creationTimestamp;
    m.resourceVersion = om.resourceVersion;
    if (om.deletionTimestamp) {
      m.deletionTimestamp = om.deletionTimestamp;
      m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
    } else {
      delete m.deletionTimestamp;
      delete m.deletionGracePeriodSeconds;
    }
    if (om.generation !== undefined) m.generation = om.generation;
    else delete m.generation;
    if (strategy.statusSubresource) {
      if (old.status === undefined) delete o.status;
      else o.status = cloneApi(old.status);
    }
    strategy.defaults?.(o, ctx);
    strategy.prepareForUpdate?.(o, old, ctx);
    const txn = strategy.beginUpdate?.(o, old, ctx);
    const kindErrs = strategy.validateUpdate ? strategy.validateUpdate(o, old, ctx) : strategy.validate(o, ctx);
    const errs = [...validateObjectMeta(o, info.namespaced, strategy.nameValidator), ...kindErrs];
    if (errs.length) {
      txn?.revert();
      throw invalidError(info.kind, m.name ?? '', errs);
    }
    if (strategy.tracksGeneration && !deepEqual(specOf(o), specOf(old))) m.generation = (om.generation ?? 0) + 1;
    txn?.commit();
    if (deepEqual(o, old)) return old; // no-op writes emit no watch event, as etcd's GuaranteedUpdate
    if (m.deletionTimestamp && (m.finalizers ?? []).length === 0 && (info.kind !== 'Pod' || m.deletionGracePeriodSeconds === 0)) {
      this.removeObject(info, o);
      return o;
    }
    if (info.kind === 'CustomResourceDefinition') this.kinds.registerCRD(o);
    return this.deps.store.put(o);
  }

  /**
   * Graceful pod deletion (pkg/registry/core/pod/strategy.go CheckGracefulDelete): unscheduled
   * or finished pods go at once; others get deletionTimestamp = now + grace and stay
   * Terminating until the kubelet confirms with a grace-0 delete.
   */
  private deletePod(pod: KubeObject, requested: number | undefined): void {
    const info = this.kinds.byKindName('Pod')!;
    let grace = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    if (!pod.spec?.nodeName) grace = 0;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') grace = 0;
    if (grace <= 0 && (pod.metadata.finalizers ?? []).length === 0) {
      this.removeObject(info, pod);
      return;
    }
    const current = pod.metadata.deletionGracePeriodSeconds;
    if (pod.metadata.deletionTimestamp && current !== undefined && current <= grace) return; // never lengthen
    // Stored objects are immutable: the new version shares everything but its metadata.
    const metadata = { ...pod.metadata, deletionTimestamp: this.deps.clock.iso(this.deps.clock.now() + Math.max(0, grace) * 1000), deletionGracePeriodSeconds: Math.max(0, grace) };
    this.deps.store.put({ ...pod, metadata });
  }

  /**
   * Namespace deletion: the namespace turns Terminating, everything in it is deleted (pods
   * gracefully), and the namespace goes once it is empty (the namespace controller's job,
   * done here synchronously). The four system namespaces cannot be deleted.
   */
  private deleteNamespace(ns: KubeObject): void {
    const name = ns.metadata.name;
    if ((SYSTEM_NAMESPACES as readonly string[]).includes(name)) {
      throw new ApiError(ApiErrorReason.Forbidden, `namespaces "${name}" is forbidden: this namespace may not be deleted`, 403);
    }
    if (!ns.metadata.deletionTimestamp) {
      const next = cloneApi(ns);
      next.metadata.deletionTimestamp = this.deps.clock.iso();
      next.metadata.deletionGracePeriodSeconds = 0;
      next.status = { ...(next.status ?? {}), phase: 'Terminating' };
      this.deps.store.put(next);
    }
    for (const kind of this.deps.store.kinds()) {
      const ki = this.kinds.byKindName(kind);
      if (!ki?.namespaced) continue;
      for (const o of this.deps.store.list(kind, name)) {
        if (o.metadata.deletionTimestamp && kind === 'Pod') continue;
        if (this.deps.store.get(kind, name, o.metadata.name)) this.delete(kind, name, o.metadata.name);
      }
    }
    this.finalizeNamespace(name);
  }

  private finalizeNamespace(name: string): void {
    const ns = this.deps.store.get('Namespace', undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    for (const kind of this.deps.store.kinds()) {
      if (!this.kinds.byKindName(kind)?.namespaced) continue;
      for (const o of this.deps.store.iterate(kind)) if (o.metadata.namespace === name) return;
    }
    this.deps.store.remove('Namespace', undefined, name);
  }

  private removeObject(info: KindInfo, obj: KubeObject): void {
    const removed = this.deps.store.remove(info.kind, obj.metadata.namespace, obj.metadata.name);
    if (!removed) return;
    strategyFor(info).afterDelete?.(removed, this.ctxFor(info));
    if (info.kind === 'CustomResourceDefinition') {
      const gone = this.kinds.unregisterCRD(removed.metadata.name);
      if (gone) for (const cr of this.deps.store.list(gone.kind)) this.deps.store.remove(gone.kind, cr.metadata.namespace, cr.metadata.name);
    }
    if (removed.metadata.namespace) this.finalizeNamespace(removed.metadata.namespace);
  }
}

/** What counts as "spec" for generation: spec, or for spec-less kinds everything but metadata and status. */
function specOf(o: KubeObject): unknown {
  if (o.spec !== undefined) return o.spec;
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}

export type { Strategy };
