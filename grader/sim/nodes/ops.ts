/**
 * What scenarios do to nodes, as on kind: `docker stop kind-worker2` (the kubelet and every
 * container on it stop; the API notices only through missing heartbeats), `docker start`,
 * `kubectl delete node`, and adding a worker (the next name, address and podCIDR).
 */
import type { Node } from '../api/types.ts';
import type { ClusterContext } from '../runtime/context.ts';
import { ApiError, ApiErrorReason } from '../../errors.ts';
import { workloadState } from './state.ts';
import { CONTROL_PLANE, buildNode, nodeIP, workerName } from './topology.ts';
import { NODE_LIFECYCLE } from '../controllers/nodelifecycle/nodelifecycle.ts';
import type { Kubelet } from '../kubelet/kubelet.ts';
import { cloneApi } from '../api/clone.ts';

function notFound(name: string): ApiError {
  return new ApiError(ApiErrorReason.NotFound, `Error from server (NotFound): nodes "${name}" not found`, 404);
}

export class NodeOps {
  constructor(private readonly ctx: ClusterContext, private readonly kubelet: Kubelet) {}

  /** Register a node: its object through the apiserver, its container as running. */
  add(name: string | undefined, controlPlane = false): Node {
    const nodes = workloadState(this.ctx).nodes;
    const nodeName = name ?? (controlPlane ? CONTROL_PLANE : workerName(nodes.nextWorker));
    if (!controlPlane && !name) nodes.nextWorker++;
    if (this.ctx.store.get('Node', undefined, nodeName)) {
      throw new ApiError(ApiErrorReason.AlreadyExists, `Error from server (AlreadyExists): nodes "${nodeName}" already exists`, 409);
    }
    const index = nodes.nextIndex++;
    const hasWorkers = this.ctx.config.workers > 0;
    const obj = buildNode({ name: nodeName, index, controlPlane }, this.ctx.config, this.ctx.clock.iso(), hasWorkers);
    nodes.register(nodeName, this.ctx.clock.now());
    const created = this.ctx.api.create(obj);
    if (JSON.stringify(created.status) !== JSON.stringify(obj.status)) {
      const next = cloneApi(created);
      next.status = obj.status;
      return this.ctx.api.updateStatus(next);
    }
    return created;
  }

  private existing(name: string): Node {
    const n = this.ctx.store.get('Node', undefined, name) as Node | undefined;
    if (!n) throw notFound(name);
    return n;
  }

  /** docker stop: no more heartbeats; the node lifecycle controller reacts after the grace period. */
  kill(name: string): string {
    this.existing(name);
    const nodes = workloadState(this.ctx).nodes;
    if (!nodes.isUp(name)) return `node container ${name} is already stopped`;
    nodes.setUp(name, false, this.ctx.clock.now());
    this.ctx.controllers.enqueueAfter(NODE_LIFECYCLE, name, this.ctx.config.nodeMonitorGracePeriodSeconds * 1000);
    return `stopped node container ${name} (its kubelet no longer posts status)`;
  }

  /** docker start: the kubelet posts Ready again and restarts the node's containers. */
  restore(name: string): string {
    this.existing(name);
    const nodes = workloadState(this.ctx).nodes;
    if (nodes.isUp(name)) return `node container ${name} is already running`;
    nodes.setUp(name, true, this.ctx.clock.now());
    this.ctx.controllers.enqueue(NODE_LIFECYCLE, name);
    this.kubelet.nodeRestarted(name);
    return `started node container ${name}`;
  }

  /** kubectl delete node: the object goes; its pods are garbage-collected after the pod GC quarantine. */
  delete(name: string): string {
    this.existing(name);
    this.ctx.api.delete('Node', undefined, name);
    // The node leaves the cluster for good: a running kubelet would re-register it, which kind's
    // "delete node" scenarios do not want, so its container is treated as stopped too.
    workloadState(this.ctx).nodes.setUp(name, false, this.ctx.clock.now());
    return `node "${name}" deleted`;
  }

  addWorker(name?: string): string {
    const n = this.add(name);
    const ip = n.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? nodeIP(0);
    return `added node ${n.metadata.name} (${ip}, podCIDR ${n.spec.podCIDR})`;
  }
}
