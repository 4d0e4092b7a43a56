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
import { buildRuntimeInfo, kubeletRuntime } from '../kubelet/runtime.ts';
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

  /**
   * The container as its process sees it, built by the kubelet's own buildRuntimeInfo so the
   * network and the kubelet never disagree: command and args stay separate (an `args`-only
   * container keeps its image's entrypoint) and both get $(VAR) expansion from the container's
   * env. The kubelet's record of the pod supplies the pod/host IPs and the restart count.
   */
  containerInfo(pod: Pod, c: Container): ContainerRuntimeInfo {
    const run = kubeletRuntime(this.ctx).pods.get(`${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`);
    const own = run && run.uid === (pod.metadata.uid ?? pod.metadata.name) ? run : undefined;
    const ips = own?.ip ? { podIP: own.ip, hostIP: own.hostIP } : undefined;
    const cr = own?.containers.find((x) => x.name === c.name && !x.init);
    // A started process keeps the environment the kubelet gave it (Services created later are
    // not in it, as in Kubernetes); only a container never started gets a fresh resolution.
    let env = cr?.env;
    if (!env) {
      const r = resolveEnv(this.ctx, pod, c, ips);
      env = r.ok ? r.env : {};
    }
    return buildRuntimeInfo(this.ctx, pod, c, env, own, cr?.runs ?? 0);
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
