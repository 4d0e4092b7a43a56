/**
 * What the networking part (and views) may ask the kubelets: which ports a pod's running
 * processes listen on, each container's resolved runtime info with its image behaviour (to
 * answer HTTP), and container logs. A pod on a stopped node has no running process.
 */
import type { Container, Pod } from '../api/types.ts';
import type { ContainerRuntimeInfo, ImageSpec, Listener } from '../images/types.ts';
import type { ClusterContext } from '../runtime/context.ts';
import { workloadState } from '../nodes/state.ts';
import { resolveEnv } from './env.ts';
import { buildRuntimeInfo, kubeletRuntime } from './runtime.ts';

export interface RunningContainer {
  info: ContainerRuntimeInfo;
  image: ImageSpec;
}

export interface PodListener extends Listener {
  container: string;
}

function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
}

/** Whether the node's container (kubelet and pods) is running. */
export function isNodeUp(ctx: ClusterContext, node: string | undefined): boolean {
  return workloadState(ctx).nodes.isUp(node);
}

/** The pod's containers whose process runs now, with what they run. Empty on a stopped node. */
export function runningContainers(ctx: ClusterContext, pod: Pod): RunningContainer[] {
  const run = kubeletRuntime(ctx).pods.get(podKey(pod));
  if (!run || run.uid !== (pod.metadata.uid ?? pod.metadata.name) || !isNodeUp(ctx, pod.spec.nodeName)) return [];
  const catalog = workloadState(ctx).catalog;
  const out: RunningContainer[] = [];
  const all: [Container, boolean][] = [...(pod.spec.initContainers ?? []).map((c) => [c, true] as [Container, boolean]), ...pod.spec.containers.map((c) => [c, false] as [Container, boolean])];
  for (const [c, init] of all) {
    const r = run.containers.find((x) => x.name === c.name && x.init === init);
    if (r?.state !== 'running') continue;
    const image = catalog?.lookup(c.image);
    if (!image) continue;
    // The process keeps the environment it started with; recompute only for runs from before the snapshot existed.
    const env = r.env ?? (resolveEnv(ctx, pod, c, { podIP: run.ip, hostIP: run.hostIP }) as { env?: Record<string, string> }).env ?? {};
    out.push({ info: buildRuntimeInfo(ctx, pod, c, env, run, r.runs), image });
  }
  return out;
}

/** Ports the pod's running processes listen on (what a connection to podIP:port would reach). */
export function listenersOf(ctx: ClusterContext, pod: Pod): PodListener[] {
  const out: PodListener[] = [];
  for (const rc of runningContainers(ctx, pod)) for (const l of rc.image.listeners(rc.info)) out.push({ ...l, container: rc.info.container.name });
  return out;
}

/** The running container that listens on port/protocol, if any. */
export function containerListeningOn(ctx: ClusterContext, pod: Pod, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): (RunningContainer & { listener: Listener }) | undefined {
  for (const rc of runningContainers(ctx, pod)) {
    const l = rc.image.listeners(rc.info).find((x) => x.port === port && x.protocol === protocol);
    if (l) return { ...rc, listener: l };
  }
  return undefined;
}

/** kubectl logs: lines the container printed (start messages, crash reasons), across restarts. */
export function logsOf(ctx: ClusterContext, pod: Pod, container?: string): string[] {
  const run = kubeletRuntime(ctx).pods.get(podKey(pod));
  const name = container ?? pod.spec.containers[0]?.name;
  return run?.containers.find((x) => x.name === name)?.logs.slice() ?? [];
}
