/**
 * The kubelet's in-memory view of its pods: container runs, back-offs, probe schedules, the
 * pod IP. This is node state, not API state: a stopped node keeps it frozen, and the API
 * status is rewritten from it whenever it changes.
 */
import type { Container, Pod } from '../api/types.ts';
import type { ContainerFiles, ContainerRuntimeInfo } from '../images/types.ts';
import type { ClusterContext } from '../runtime/context.ts';
import { slot } from '../nodes/state.ts';
import { NodeIpam } from './ipam.ts';
import { expand } from './env.ts';
import { containerFiles } from './files.ts';
import { peerProcess } from './peers.ts';
import { processNetworkFor } from '../nodes/state.ts';

export interface Terminated {
  reason: string;
  exitCode: number;
  startedAt: number;
  finishedAt: number;
  message?: string;
}

export interface ContainerRun {
  name: string;
  init: boolean;
  state: 'waiting' | 'running' | 'terminated';
  reason?: string;
  message?: string;
  startedAt?: number;
  terminated?: Terminated;
  last?: Terminated;
  restartCount: number;
  /** Number of times the process was started (names its writable layer). */
  runs: number;
  ready: boolean;
  /** Image pull back-off (10 s doubling to 5 min, per image like the kubelet's). */
  pullFailures: number;
  lastPullAt?: number;
  nextPullAt?: number;
  /** Crash-loop back-off: undefined until the first exit; the next wait otherwise. */
  backoffMs?: number;
  doubleOnRestart?: boolean;
  /** Exited under a policy that restarts it: shown terminated until the kubelet acts on it at restartAt. */
  pendingRestart?: boolean;
  restartAt?: number;
  readyNext?: number;
  liveNext?: number;
  readySuccesses: number;
  readyFailures: number;
  liveFailures: number;
  lastProbeMessage?: string;
  logs: string[];
  /** The environment the running process was started with (the kubelet fixes it at start). */
  env?: Record<string, string>;
  /** Last event reason recorded for a waiting state, to avoid repeating it on every sync. */
  lastEvent?: string;
}

export interface PodRun {
  uid: string;
  key: string;
  node: string;
  ip?: string;
  hostIP?: string;
  firstSeen: number;
  /** When the sandbox is up and containers may start. */
  startAt?: number;
  containers: ContainerRun[];
  removeAt?: number;
  mountEvent?: string;
  wakeAt?: number;
  /** The stored pod whose status was last found or made current, and statusInputs then (see writeStatus). */
  statusOf?: Pod;
  statusInputs?: string;
}

export class KubeletRuntime {
  readonly pods = new Map<string, PodRun>();
  private ipam = new Map<string, NodeIpam>();
  /** Pods waiting on a ConfigMap, Secret or volume, by namespace: retried when those change. */
  readonly blocked = new Map<string, Set<string>>();

  ipamFor(node: string, cidr: string): NodeIpam {
    let a = this.ipam.get(node);
    if (!a) this.ipam.set(node, (a = NodeIpam.forCIDR(cidr)));
    return a;
  }

  forgetNode(node: string): void {
    this.ipam.delete(node);
  }

  release(run: PodRun): void {
    if (run.ip && run.ip !== run.hostIP) this.ipam.get(run.node)?.release(run.ip);
    this.pods.delete(run.key);
  }

  block(ns: string, key: string, on: boolean): void {
    let s = this.blocked.get(ns);
    if (on) {
      if (!s) this.blocked.set(ns, (s = new Set()));
      s.add(key);
    } else s?.delete(key);
  }
}

export function kubeletRuntime(ctx: ClusterContext): KubeletRuntime {
  return slot(ctx, 'kubelet', newKubeletRuntime);
}

function newKubeletRuntime(): KubeletRuntime {
  return new KubeletRuntime();
}

export function newContainerRun(c: Container, init: boolean): ContainerRun {
  return { name: c.name, init, state: 'waiting', reason: 'ContainerCreating', restartCount: 0, runs: 0, ready: false, pullFailures: 0, readySuccesses: 0, readyFailures: 0, liveFailures: 0, logs: [] };
}

/** The container as its process sees it: expanded argv, env, files, the pod with its IPs. */
export function buildRuntimeInfo(ctx: ClusterContext, pod: Pod, c: Container, env: Record<string, string>, run: PodRun | undefined, runs: number): ContainerRuntimeInfo {
  const view: Pod = run?.ip ? { ...pod, status: { ...(pod.status ?? {}), podIP: run.ip, podIPs: [{ ip: run.ip }], hostIP: run.hostIP } } : pod;
  return new RuntimeInfo(ctx, view, c, env, runs);
}

/**
 * A class rather than an object literal with a getter and arrow functions: the kubelet builds
 * one per probe, and the literal (each function named at creation under the TypeScript loader)
 * was a tenth of a rollout's cost.
 */
class RuntimeInfo implements ContainerRuntimeInfo {
  readonly command: string[] | undefined;
  readonly args: string[];
  /** Built on first use: most readers (probes, HTTP answers) never look at the files. */
  private fileView: ContainerFiles | undefined;

  constructor(
    private readonly ctx: ClusterContext,
    readonly pod: Pod,
    readonly container: Container,
    readonly env: Record<string, string>,
    private readonly runs: number,
  ) {
    this.command = container.command?.map((x) => expand(x, env));
    this.args = container.args ? container.args.map((x) => expand(x, env)) : [];
  }

  get files(): ContainerFiles {
    return (this.fileView ??= containerFiles(this.ctx, this.pod, this.container, this.runs));
  }

  peer(t: { pod: string; namespace?: string }, port: number) {
    return peerProcess(this.ctx, t.namespace ?? this.pod.metadata.namespace ?? 'default', t.pod, port);
  }

  network() {
    return processNetworkFor(this.ctx, this.pod);
  }
}
