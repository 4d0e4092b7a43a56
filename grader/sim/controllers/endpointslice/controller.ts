/**
 * Three kube-controller-manager loops that turn Services and Pods into endpoint objects:
 * - `endpointslice`: slices for Services with a selector (pkg/controller/endpointslice);
 * - `endpoints`: the legacy Endpoints object for the same Services (pkg/controller/endpoint);
 * - `endpointslicemirroring`: slices mirrored from user-written Endpoints of selector-less
 *   Services (pkg/controller/endpointslicemirroring).
 * Events only enqueue Service keys; sync recomputes one Service and writes the diff.
 */
import { jsonEqual } from '../../api/json-equal.ts';
import type { WatchEvent } from '../../api/store.ts';
import type { EndpointSlice, Service } from '../../api/types.ts';
import type { Controller } from '../../runtime/controller-manager.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import type { NetworkState } from '../../network/state.ts';
import { ApiError } from '../../../errors.ts';
import { MANAGED_BY_LABEL, MIRROR_CONTROLLER, SERVICE_NAME_LABEL, SKIP_MIRROR_LABEL, SLICE_CONTROLLER, hasSelector } from '../../network/objects.ts';
import { type SlicePlan, desiredGroups, reconcileSlices } from './reconcile.ts';
import { type EndpointsObject, desiredEndpoints, groupsFromEndpoints, sameEndpoints } from './endpoints.ts';
import type { SelectorIndex } from './selector-index.ts';

const splitKey = (key: string): [string, string] => {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
};

/** Keys of the Services a pod event concerns: those selecting the old or the new labels. */
function podServiceKeys(ev: WatchEvent, index: SelectorIndex): string[] {
  // The endpointslice and endpoints controllers ask this about each pod event one after the other.
  return index.remembered(ev) ?? index.remember(ev, computePodServiceKeys(ev, index));
}

function computePodServiceKeys(ev: WatchEvent, index: SelectorIndex): string[] {
  const ns = ev.object.metadata.namespace ?? '';
  const names = new Set(index.servicesSelecting(ns, ev.object.metadata.labels));
  if (ev.old && !jsonEqual(ev.old.metadata.labels, ev.object.metadata.labels)) {
    for (const n of index.servicesSelecting(ns, ev.old.metadata.labels)) names.add(n);
  }
  return [...names].map((n) => `${ns}/${n}`);
}

/**
 * Every pod change requeues its Services: comparing old and new to skip irrelevant changes
 * would be cheaper, but is only safe if no writer ever mutates a stored object in place, and
 * a missed readiness change is far worse than a no-op sync (the diff writes nothing).
 */
function podRelevantChange(_ev: WatchEvent): boolean {
  return true;
}

function applyPlan(ctx: ClusterContext, plan: SlicePlan): void {
  for (const s of plan.create) ctx.api.create(s);
  for (const s of plan.update) ignoreNotFound(() => ctx.api.update(s));
  for (const s of plan.delete) ignoreNotFound(() => ctx.api.delete('EndpointSlice', s.metadata.namespace, s.metadata.name));
}

function ignoreNotFound(f: () => unknown): void {
  try {
    f();
  } catch (err) {
    if (!(err instanceof ApiError && err.reason === 'NotFound')) throw err;
  }
}

function ownedSlices(state: NetworkState, ns: string, name: string, managedBy: string): EndpointSlice[] {
  return state.slicesFor(ns, name).filter((s) => s.metadata.labels?.[MANAGED_BY_LABEL] === managedBy);
}

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  constructor(
    private readonly ctx: ClusterContext,
    private readonly state: NetworkState,
    private readonly index: SelectorIndex,
  ) {}

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    switch (o.kind) {
      case 'Service':
        return [`${o.metadata.namespace}/${o.metadata.name}`];
      case 'Pod':
        return podRelevantChange(ev) ? podServiceKeys(ev, this.index) : [];
      case 'EndpointSlice': {
        // Someone edited or deleted a slice we own: put it back.
        const svc = o.metadata.labels?.[SERVICE_NAME_LABEL];
        return svc && o.metadata.labels?.[MANAGED_BY_LABEL] === SLICE_CONTROLLER ? [`${o.metadata.namespace}/${svc}`] : [];
      }
      default:
        return [];
    }
  }

  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = this.ctx.store.get('Service', ns, name) as Service | undefined;
    const existing = ownedSlices(this.state, ns, name, SLICE_CONTROLLER);
    if (!svc || !hasSelector(svc) || svc.metadata.deletionTimestamp) {
      // Services without a selector get no slices from this controller (GC would remove ours too).
      applyPlan(this.ctx, { create: [], update: [], delete: existing });
      return;
    }
    const pods = this.index.podsMatching(ns, svc.spec.selector);
    const zoneOf = (node: string) => this.state.node(node)?.metadata.labels?.['topology.kubernetes.io/zone'];
    const plan = reconcileSlices(svc, desiredGroups(svc, pods, zoneOf), existing, { managedBy: SLICE_CONTROLLER, ownerKind: 'Service', ownerUid: svc.metadata.uid ?? '' });
    applyPlan(this.ctx, plan);
  }
}

export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  constructor(
    private readonly ctx: ClusterContext,
    private readonly index: SelectorIndex,
  ) {}

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    if (o.kind === 'Service') return [`${o.metadata.namespace}/${o.metadata.name}`];
    if (o.kind === 'Pod') return podRelevantChange(ev) ? podServiceKeys(ev, this.index) : [];
    if (o.kind === 'Endpoints' && ev.type === 'DELETED') return [`${o.metadata.namespace}/${o.metadata.name}`];
    return [];
  }

  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = this.ctx.store.get('Service', ns, name) as Service | undefined;
    const cur = this.ctx.store.get('Endpoints', ns, name) as EndpointsObject | undefined;
    if (!svc) {
      // The Endpoints object shares the Service's name and goes with it (upstream deletes it
      // whenever the Service is gone, user-written or not).
      if (cur) ignoreNotFound(() => this.ctx.api.delete('Endpoints', ns, name));
      return;
    }
    // Selector-less Services: the Endpoints object belongs to the user.
    if (!hasSelector(svc)) return;
    const want = desiredEndpoints(svc, this.index.podsMatching(ns, svc.spec.selector));
    if (!cur) this.ctx.api.create(want);
    else if (!sameEndpoints(cur, want)) {
      // Only top-level fields change and update() copies what it is given: a shallow copy will do.
      const next = { ...cur, metadata: { ...cur.metadata } };
      next.metadata.labels = want.metadata.labels;
      next.metadata.annotations = want.metadata.annotations;
      next.subsets = want.subsets;
      this.ctx.api.update(next);
    }
  }
}

export class EndpointSliceMirroringController implements Controller {
  readonly name = 'endpointslicemirroring';
  constructor(
    private readonly ctx: ClusterContext,
    private readonly state: NetworkState,
  ) {}

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    if (o.kind === 'Service' || o.kind === 'Endpoints') return [`${o.metadata.namespace}/${o.metadata.name}`];
    if (o.kind === 'EndpointSlice' && o.metadata.labels?.[MANAGED_BY_LABEL] === MIRROR_CONTROLLER) {
      const svc = o.metadata.labels?.[SERVICE_NAME_LABEL];
      return svc ? [`${o.metadata.namespace}/${svc}`] : [];
    }
    return [];
  }

  sync(key: string): void {
    const [ns, name] = splitKey(key);
    const svc = this.ctx.store.get('Service', ns, name) as Service | undefined;
    const ep = this.ctx.store.get('Endpoints', ns, name) as EndpointsObject | undefined;
    const existing = ownedSlices(this.state, ns, name, MIRROR_CONTROLLER);
    const mirror = svc && !hasSelector(svc) && ep && ep.metadata.labels?.[SKIP_MIRROR_LABEL] !== 'true';
    if (!mirror) {
      applyPlan(this.ctx, { create: [], update: [], delete: existing });
      return;
    }
    // Mirrored slices carry the Endpoints' labels and are owned by the Endpoints object.
    const asSvc: Service = { ...svc!, metadata: { ...svc!.metadata, labels: ep!.metadata.labels } };
    const groups = groupsFromEndpoints(ep!);
    const plan = reconcileSlices(asSvc, groups, existing, {
      managedBy: MIRROR_CONTROLLER, ownerKind: 'Endpoints', ownerName: ep!.metadata.name, ownerUid: ep!.metadata.uid ?? '',
    });
    // Mirroring keeps no placeholder: no addresses, no slice.
    if (groups.every((g) => g.endpoints.size === 0)) {
      plan.create = [];
      plan.update = [];
      plan.delete = existing;
    }
    applyPlan(this.ctx, plan);
  }
}
