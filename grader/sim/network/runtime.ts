/**
 * What the network needs to know about running containers: whether a node is up, which
 * ports a pod's processes listen on (the image catalogue's listeners), and how to ask a
 * process for an HTTP answer. An adapter over the workloads part, narrow so tests can fake it.
 */
import type { Container, Pod } from '../api/types.ts';
import type { ClusterContext } from '../runtime/context.ts';
import type { WorkloadOps } from '../install-workloads.ts';
import type { ContainerRuntimeInfo, ImageSpec, Listener } from '../images/types.ts';
import { workloadState } from '../nodes/state.ts';
import { resolveEnv } from '../kubelet/env.ts';
import { isNodeReady } from './objects.ts';
import type { NetworkState } from './state.ts';

export interface PodListener extends Listener {
  container: Container;
  image?: ImageSpec;
  running: boolean;
}

export interface PodRuntime {
  /** The node's container runs (a killed kind node answers nothing, even before it is NotReady). */
  nodeUp(name: string | undefined): boolean;
  listeners(pod: Pod): PodListener[];
  containerInfo(pod: Pod, c: Container): ContainerRuntimeInfo;
}

export function containerRunning(pod: Pod, c: Container): boolean {
  const st = pod.status?.containerStatuses?.find((s) => s.name === c.name);
  if (!st) return pod.status?.phase === 'Running';
  return !!st.state?.running;
}

export class WorkloadPodRuntime implements PodRuntime {
  constructor(
    private readonly ctx: ClusterContext,
    private readonly state: NetworkState,
    private readonly workloads: Pick<WorkloadOps, 'images'>,
  ) {}

  nodeUp(name: string | undefined): boolean {
    if (!name) return false;
    const nodes = workloadState(this.ctx).nodes;
    if (nodes.known(name)) return nodes.isUp(name);
    const n = this.state.node(name);
    return !!n && isNodeReady(n);
  }

  containerInfo(pod: Pod, c: Container): ContainerRuntimeInfo {
    const env = resolveEnv(this.ctx, pod, c);
    return { pod, container: c, env: env.ok ? env.env : {}, args: [...(c.args ?? [])], command: [...(c.command ?? []), ...(c.args ?? [])] };
  }

  listeners(pod: Pod): PodListener[] {
    const out: PodListener[] = [];
    for (const c of pod.spec.containers ?? []) {
      const image = this.workloads.images.lookup(c.image);
      const running = containerRunning(pod, c);
      const ls: Listener[] = image
        ? image.listeners(this.containerInfo(pod, c))
        // An image the catalogue does not know: trust the declared containerPorts.
        : (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: (p.protocol ?? 'TCP') as 'TCP' | 'UDP', app: 'tcp' as const }));
      for (const l of ls) out.push({ ...l, container: c, image, running });
    }
    return out;
  }
}
