/**
 * Installs the workload side of the simulated kind cluster: the image catalogue, the
 * controllers (PV binder, scheduler, kubelet, node lifecycle, pod GC, Deployment, ReplicaSet,
 * ReplicationController, StatefulSet, DaemonSet, garbage collector, disruption), kind's default
 * StorageClass and the Nodes; returns the operations scenarios need.
 */
import type { ClusterContext } from './runtime/context.ts';
import type { ImageCatalog, ImageSpec } from './images/types.ts';
import type { Action, RolloutResult } from '../backend/types.ts';
import type { KubeObject } from './api/types.ts';
import { ApiError, ApiErrorReason } from '../errors.ts';
import { Catalog } from './images/catalog.ts';
import { workloadState } from './nodes/state.ts';
import { NodeOps } from './nodes/ops.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import { Kubelet } from './kubelet/kubelet.ts';
import { PersistentVolumeController } from './controllers/volume/pv-controller.ts';
import { standardStorageClass } from './controllers/volume/classes.ts';
import { NodeLifecycleController, PodGCController } from './controllers/nodelifecycle/nodelifecycle.ts';
import { DeploymentController } from './controllers/deployment/deployment.ts';
import { REPLICASET, ReplicaSetController } from './controllers/replicaset/replicaset.ts';
import { replicationControllerController } from './controllers/replicationcontroller/replicationcontroller.ts';
import { StatefulSetController } from './controllers/statefulset/statefulset.ts';
import { DaemonSetController } from './controllers/daemonset/daemonset.ts';
import { GarbageCollector } from './controllers/garbagecollector/garbagecollector.ts';
import { DisruptionController } from './controllers/disruption/disruption.ts';
import { daemonSetRolloutStatus, deploymentRolloutStatus, statefulSetRolloutStatus } from './controllers/deployment/rollout-status.ts';
import { cloneApi } from './api/clone.ts';

export interface WorkloadOps {
  readonly images: ImageCatalog;
  /** kubectl rollout status for every Deployment, StatefulSet and DaemonSet (system ones included). */
  rolloutStatus(): RolloutResult['workloads'];
  /** Node and workload actions (killNode, restoreNode, deleteNode, addNode, deletePod, scale, setImage). Returns a summary. */
  act(action: Exclude<Action, { type: 'advance' } | { type: 'apply' }>): string;
}

const RESOURCE: Record<string, string> = { Deployment: 'deployment.apps', StatefulSet: 'statefulset.apps', ReplicaSet: 'replicaset.apps', DaemonSet: 'daemonset.apps' };

function notFound(kind: string, name: string): ApiError {
  const plural = `${kind.toLowerCase()}s${kind === 'Pod' ? '' : '.apps'}`;
  return new ApiError(ApiErrorReason.NotFound, `Error from server (NotFound): ${plural} "${name}" not found`, 404);
}

export function installWorkloads(ctx: ClusterContext, opts: { images: ImageSpec[] }): WorkloadOps {
  const state = workloadState(ctx);
  const catalog = new Catalog();
  for (const img of opts.images) catalog.register(img);
  state.catalog = catalog;

  const kubelet = new Kubelet(ctx);
  const controllers = [
    new PersistentVolumeController(ctx),
    new Scheduler(ctx, state.cache),
    kubelet,
    new NodeLifecycleController(ctx),
    new PodGCController(ctx),
    new DeploymentController(ctx),
    new ReplicaSetController(ctx, REPLICASET),
    replicationControllerController(ctx),
    new StatefulSetController(ctx),
    new DaemonSetController(ctx),
    new GarbageCollector(ctx),
    new DisruptionController(ctx),
  ];
  for (const c of controllers) ctx.controllers.register(c);

  if (!ctx.store.get('StorageClass', undefined, 'standard')) ctx.api.create(standardStorageClass());
  const nodes = new NodeOps(ctx, kubelet);
  nodes.add(undefined, true);
  for (let i = 0; i < ctx.config.workers; i++) nodes.add(undefined);

  return new ClusterWorkloadOps(ctx, catalog, nodes);
}

/** The workload operations, as a class whose state is in fields (a forked cluster copies them). */
class ClusterWorkloadOps implements WorkloadOps {
  constructor(
    private readonly ctx: ClusterContext,
    readonly images: ImageCatalog,
    private readonly nodes: NodeOps,
  ) {}

  rolloutStatus(): RolloutResult['workloads'] {
    const out: RolloutResult['workloads'] = [];
    const add = (o: KubeObject, w: { ready: boolean; message: string }) =>
      out.push({ ref: { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name }, ready: w.ready, message: w.message });
    for (const d of this.ctx.store.list('Deployment')) add(d, deploymentRolloutStatus(d));
    for (const s of this.ctx.store.list('StatefulSet')) add(s, statefulSetRolloutStatus(s));
    for (const d of this.ctx.store.list('DaemonSet')) add(d, daemonSetRolloutStatus(d));
    return out;
  }

  private get(kind: string, ns: string, name: string): KubeObject {
    const o = this.ctx.store.get(kind, ns, name);
    if (!o) throw notFound(kind, name);
    return o;
  }

  act(action: Exclude<Action, { type: 'advance' } | { type: 'apply' }>): string {
    const { ctx, nodes } = this;
    switch (action.type) {
      case 'killNode': return nodes.kill(action.node);
      case 'restoreNode': return nodes.restore(action.node);
      case 'deleteNode': return nodes.delete(action.node);
      case 'addNode': return nodes.addWorker(action.name);
      case 'deletePod': {
        this.get('Pod', action.namespace, action.name);
        ctx.api.delete('Pod', action.namespace, action.name, action.force ? { gracePeriodSeconds: 0, force: true } : undefined);
        return action.force ? `pod "${action.name}" force deleted` : `pod "${action.name}" deleted`;
      }
      case 'scale': {
        const next = cloneApi(this.get(action.kind, action.namespace, action.name));
        next.spec = { ...(next.spec ?? {}), replicas: action.replicas };
        ctx.api.update(next);
        return `${RESOURCE[action.kind]}/${action.name} scaled`;
      }
      case 'setImage': {
        const next = cloneApi(this.get(action.kind, action.namespace, action.name));
        const containers = [...(next.spec?.template?.spec?.containers ?? []), ...(next.spec?.template?.spec?.initContainers ?? [])];
        const c = containers.find((x: { name: string }) => x.name === action.container);
        if (!c) throw new ApiError(ApiErrorReason.NotFound, `error: unable to find container named "${action.container}"`, 404);
        c.image = action.image;
        ctx.api.update(next);
        return `${RESOURCE[action.kind]}/${action.name} image updated`;
      }
      default: {
        const never: never = action;
        throw new Error(`unknown action ${(never as { type: string }).type}`);
      }
    }
  }
}
