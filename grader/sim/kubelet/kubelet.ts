/**
 * The kubelets of every node, as one controller. For each pod bound to a running node it
 * mounts volumes, sets up the sandbox (pod IP from the node's podCIDR), pulls images (from the
 * catalogue), builds env, starts init containers then containers, runs probes, restarts with
 * CrashLoopBackOff, and writes the pod status kubectl shows. Timing runs on the virtual clock:
 * the sandbox takes STARTUP_MS, back-offs double from 10 s to 5 min, graceful deletion takes
 * SHUTDOWN_MS (or the whole grace period when the process ignores SIGTERM).
 * On a stopped node nothing happens: its kubelet is gone, so its pods' status freezes.
 * Sources: pkg/kubelet/kubelet.go, kuberuntime/kuberuntime_manager.go (doBackOff),
 * pkg/kubelet/status/generate.go, pkg/kubelet/prober/worker.go, pkg/kubelet/images/image_manager.go.
 */
import { jsonEqual } from '../api/json-equal.ts';
import type { WatchEvent } from '../api/store.ts';
import type { Container, ContainerStatus, KubeObject, Node, Pod, PodCondition, PodStatus } from '../api/types.ts';
import type { Controller } from '../runtime/controller-manager.ts';
import type { ClusterContext } from '../runtime/context.ts';
import type { ContainerRuntimeInfo, ImageSpec } from '../images/types.ts';
import { parseImageReference } from '../images/reference.ts';
import { hashString } from '../../util/rng.ts';
import { processNetworkFor, workloadState } from '../nodes/state.ts';
import { nodeInternalIP } from '../nodes/topology.ts';
import { putCondition } from './conditions.ts';
import { resolveEnv } from './env.ts';
import { checkVolumes } from './volumes.ts';
import { runProbe } from './probes.ts';
import { type ContainerRun, type PodRun, type Terminated, buildRuntimeInfo, kubeletRuntime, newContainerRun } from './runtime.ts';

export const KUBELET = 'kubelet';
/** Sandbox creation plus image start: a pod runs one virtual second after it is bound. */
export const STARTUP_MS = 1000;
/** A process that handles SIGTERM (nginx, most servers) exits about a second after deletion. */
export const SHUTDOWN_MS = 1000;
const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
/** PLEG relists containers every second: an exit is seen, and acted on, up to a second later. */
const RELIST_MS = 1000;
/** ErrImagePull shows until the next pod sync (about a second), then ImagePullBackOff. */
const PULL_ERROR_SHOWN_MS = 1000;

function podKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
}

/** Go's time.Duration.String for whole seconds: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${s % 60}s`;
}

function sha(seed: string): string {
  let out = '';
  for (let i = 0; out.length < 64; i++) out += hashString(`${seed}#${i}`).toString(16).padStart(8, '0');
  return out.slice(0, 64);
}

/**
 * The imageID a pulled image reports. A pure function of the reference, remembered because
 * every status write of every pod asks again (a few images, thousands of writes); bounded so
 * a long batch run cannot grow it without end.
 */
const imageIDs = new Map<string, string>();
function imageID(pulled: string): string {
  let id = imageIDs.get(pulled);
  if (id === undefined) {
    id = `${pulled.replace(/:[^:/@]+$/, '').replace(/@.*$/, '')}@sha256:${sha(pulled)}`;
    if (imageIDs.size >= 1024) imageIDs.clear();
    imageIDs.set(pulled, id);
  }
  return id;
}

export class Kubelet implements Controller {
  readonly name = KUBELET;
  private readonly rt;
  private readonly state;

  constructor(private readonly ctx: ClusterContext) {
    this.rt = kubeletRuntime(ctx);
    this.state = workloadState(ctx);
  }

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    switch (o.kind) {
      case 'Pod': {
        const p = o as Pod;
        if (ev.type === 'DELETED') return this.rt.pods.has(podKey(p)) ? [podKey(p)] : [];
        if (!p.spec?.nodeName) return [];
        if (ev.type === 'ADDED') return [podKey(p)];
        const old = ev.old as Pod;
        // A pod's spec is immutable but for images (and a few fields the kubelet ignores), so
        // those, the binding and the deletion are what can need the kubelet; status writes cannot.
        const changed = old.spec?.nodeName !== p.spec.nodeName || old.metadata.deletionTimestamp !== p.metadata.deletionTimestamp
          || !sameImages(old.spec?.initContainers, p.spec.initContainers) || !sameImages(old.spec?.containers, p.spec.containers) || !this.rt.pods.has(podKey(p));
        return changed ? [podKey(p)] : [];
      }
      case 'Secret':
      case 'ConfigMap':
      case 'PersistentVolumeClaim':
        return [...(this.rt.blocked.get(o.metadata.namespace ?? 'default') ?? [])];
      case 'PersistentVolume': {
        const out: string[] = [];
        for (const s of this.rt.blocked.values()) out.push(...s);
        return out;
      }
      default:
        return [];
    }
  }

  /** The node container came back: its containers restart, terminating pods finish. */
  nodeRestarted(node: string): void {
    const now = this.ctx.clock.now();
    for (const run of this.rt.pods.values()) {
      if (run.node !== node) continue;
      for (const c of run.containers) {
        if (c.state !== 'running') continue;
        c.last = { reason: 'Unknown', exitCode: 255, startedAt: c.startedAt ?? now, finishedAt: now };
        c.state = 'waiting';
        c.reason = 'ContainerCreating';
        c.ready = false;
        c.restartAt = now + STARTUP_MS;
        c.readyNext = c.liveNext = undefined;
      }
    }
    for (const p of this.state.cache.podsOnNode(node)) this.ctx.controllers.enqueue(KUBELET, podKey(p));
  }

  sync(key: string): void {
    const [ns, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    const pod = this.ctx.store.get('Pod', ns, name) as Pod | undefined;
    let run = this.rt.pods.get(key);
    if (!pod) {
      if (run) this.rt.release(run);
      this.rt.block(ns, key, false);
      return;
    }
    const nodeName = pod.spec.nodeName;
    if (!nodeName) return;
    if (run && (run.uid !== (pod.metadata.uid ?? pod.metadata.name) || run.node !== nodeName)) {
      this.rt.release(run);
      run = undefined;
    }
    const node = this.ctx.store.get('Node', undefined, nodeName) as Node | undefined;
    if (!node || !this.state.nodes.isUp(nodeName)) return;
    const now = this.ctx.clock.now();
    if (!run) {
      run = {
        uid: pod.metadata.uid ?? pod.metadata.name,
        key,
        node: nodeName,
        hostIP: nodeInternalIP(node),
        firstSeen: now,
        containers: [...(pod.spec.initContainers ?? []).map((c) => newContainerRun(c, true)), ...pod.spec.containers.map((c) => newContainerRun(c, false))],
      };
      this.rt.pods.set(key, run);
    }
    if (pod.metadata.deletionTimestamp) {
      this.terminate(pod, run, now);
      return;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;

    const problem = checkVolumes(this.ctx, pod, nodeName);
    if (problem) {
      this.rt.block(ns, key, true);
      if (run.mountEvent !== problem.message) {
        run.mountEvent = problem.message;
        this.ctx.events.record('kubelet', pod, 'Warning', problem.reason, problem.message);
      }
      this.writeStatus(pod, run, now);
      return;
    }
    run.mountEvent = undefined;
    if (!run.ip) {
      if (pod.spec.hostNetwork) run.ip = run.hostIP;
      else run.ip = this.rt.ipamFor(nodeName, node.spec.podCIDR ?? '10.244.0.0/24').allocate();
      run.startAt = now + STARTUP_MS;
    }
    let blocked = false;
    if (now >= run.startAt!) blocked = this.advance(pod, run, now);
    this.rt.block(ns, key, blocked);
    this.writeStatus(pod, run, now);
    this.scheduleWake(run, now);
  }

  private terminate(pod: Pod, run: PodRun, now: number): void {
    if (run.removeAt === undefined) {
      const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
      let ms = Math.min(SHUTDOWN_MS, grace * 1000);
      for (const c of pod.spec.containers) {
        const r = run.containers.find((x) => x.name === c.name && !x.init);
        if (r?.state !== 'running') continue;
        this.ctx.events.record('kubelet', pod, 'Normal', 'Killing', `Stopping container ${c.name}`);
        const spec = this.state.catalog?.lookup(c.image);
        if (spec?.ignoresSigterm) {
          const env = r.env ?? (resolveEnv(this.ctx, pod, c) as { env?: Record<string, string> }).env;
          if (env && spec.ignoresSigterm(buildRuntimeInfo(this.ctx, pod, c, env, run, r.runs))) ms = grace * 1000;
        }
      }
      run.removeAt = now + ms;
    }
    if (now >= run.removeAt) {
      this.rt.release(run);
      this.rt.block(pod.metadata.namespace ?? 'default', run.key, false);
      this.ctx.api.delete('Pod', pod.metadata.namespace, pod.metadata.name, { gracePeriodSeconds: 0, force: true });
      return;
    }
    this.scheduleWake(run, now);
  }

  /** Move every container's state machine to `now`. Returns whether a container waits on config. */
  private advance(pod: Pod, run: PodRun, now: number): boolean {
    let blocked = false;
    // Init containers one after another; the app containers start once all completed.
    for (const c of pod.spec.initContainers ?? []) {
      const r = this.runFor(run, c, true);
      if (r.state === 'terminated' && r.terminated?.exitCode === 0) continue;
      blocked = this.step(pod, run, c, r, now) || blocked;
      if (!(r.state === 'terminated' && r.terminated?.exitCode === 0)) {
        for (const m of pod.spec.containers) {
          const mr = this.runFor(run, m, false);
          if (mr.state === 'waiting') { mr.reason = 'PodInitializing'; mr.message = undefined; }
        }
        return blocked;
      }
    }
    for (const c of pod.spec.containers) blocked = this.step(pod, run, c, this.runFor(run, c, false), now) || blocked;
    return blocked;
  }

  private runFor(run: PodRun, c: Container, init: boolean): ContainerRun {
    let r = run.containers.find((x) => x.name === c.name && x.init === init);
    if (!r) run.containers.push((r = newContainerRun(c, init)));
    return r;
  }

  private restartPolicy(pod: Pod, init: boolean): 'Always' | 'OnFailure' | 'Never' {
    const p = pod.spec.restartPolicy ?? 'Always';
    // Init containers of an Always pod are retried like OnFailure.
    return init && p === 'Always' ? 'OnFailure' : p;
  }

  /** One container: start it if it may, run its probes. Returns true when it waits on config. */
  private step(pod: Pod, run: PodRun, c: Container, r: ContainerRun, now: number): boolean {
    if (r.state === 'terminated') {
      if (!r.pendingRestart || now < (r.restartAt ?? 0)) return false;
      return this.restartExited(pod, run, c, r, now);
    }
    if (r.state === 'running') {
      this.probe(pod, run, c, r, now);
      return false;
    }
    if (r.restartAt !== undefined && now < r.restartAt) return false;
    const ref = parseImageReference(c.image);
    if (!ref.ok) {
      this.wait(pod, r, 'InvalidImageName', `Failed to apply default image tag "${c.image}": couldn't parse image name "${c.image}": ${ref.error}`);
      return false;
    }
    const spec = this.state.catalog?.lookup(c.image);
    if (!spec) {
      this.pullFailed(pod, r, c, ref.full, now);
      return false;
    }
    const env = resolveEnv(this.ctx, pod, c, { podIP: run.ip, hostIP: run.hostIP });
    if (!env.ok) {
      this.wait(pod, r, 'CreateContainerConfigError', env.message, `Error: ${env.message}`);
      return true;
    }
    this.start(pod, run, c, r, spec, env.env, ref.full, now);
    return false;
  }

  private wait(pod: Pod, r: ContainerRun, reason: string, message: string, event?: string): void {
    r.state = 'waiting';
    r.reason = reason;
    r.message = message;
    r.ready = false;
    const ev = `${reason}:${message}`;
    if (r.lastEvent !== ev) {
      r.lastEvent = ev;
      this.ctx.events.record('kubelet', pod, 'Warning', reason === 'InvalidImageName' ? 'InspectFailed' : 'Failed', event ?? message);
    }
  }

  private pullFailed(pod: Pod, r: ContainerRun, c: Container, full: string, now: number): void {
    if (r.nextPullAt !== undefined && now < r.nextPullAt) {
      if (now >= (r.lastPullAt ?? 0) + PULL_ERROR_SHOWN_MS) {
        r.reason = 'ImagePullBackOff';
        r.message = `Back-off pulling image "${c.image}"`;
        if (r.lastEvent !== 'BackOff') {
          r.lastEvent = 'BackOff';
          this.ctx.events.record('kubelet', pod, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`);
        }
      }
      return;
    }
    r.pullFailures++;
    r.lastPullAt = now;
    r.nextPullAt = now + Math.min(BACKOFF_INITIAL_MS * 2 ** (r.pullFailures - 1), BACKOFF_MAX_MS);
    const msg = `rpc error: code = NotFound desc = failed to pull and unpack image "${full}": the kubelab simulator does not know this image (a lab can declare it under images:, or pick a catalogued image)`;
    r.lastEvent = undefined;
    this.ctx.events.record('kubelet', pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
    this.ctx.events.record('kubelet', pod, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${msg}`);
    r.state = 'waiting';
    r.reason = 'ErrImagePull';
    r.message = msg;
    r.lastEvent = 'ErrImagePull';
  }

  private start(pod: Pod, run: PodRun, c: Container, r: ContainerRun, spec: ImageSpec, env: Record<string, string>, full: string, now: number): void {
    if (r.doubleOnRestart) {
      r.backoffMs = Math.min((r.backoffMs ?? BACKOFF_INITIAL_MS) * 2, BACKOFF_MAX_MS);
      r.doubleOnRestart = false;
    }
    if (r.runs > 0) r.restartCount++;
    r.runs++;
    r.restartAt = undefined;
    r.lastEvent = undefined;
    r.env = env;
    const info = buildRuntimeInfo(this.ctx, pod, c, env, run, r.runs);
    if (r.runs === 1) this.ctx.events.record('kubelet', pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
    this.ctx.events.record('kubelet', pod, 'Normal', 'Created', `Created container ${c.name}`);
    this.ctx.events.record('kubelet', pod, 'Normal', 'Started', `Started container ${c.name}`);
    const crash = spec.crashReason?.(info);
    if (crash === undefined) spec.onStart?.(info);
    // Logs after the start effects, so a script that writes a file and then cats it prints it.
    r.logs.push(...(spec.logs?.(info) ?? []));
    const completes = crash === undefined && (r.init || !!spec.completes?.(info));
    r.reason = undefined;
    r.message = undefined;
    (r as { image?: string }).image = full;
    if (crash !== undefined || completes) {
      // A closing `exit status N` line is the process's exit code (1 otherwise), not its output.
      const status = crash !== undefined ? /(?:^|\n)exit status (\d+)$/.exec(crash) : null;
      if (crash !== undefined) r.logs.push(...(status ? crash.slice(0, status.index) : crash).split('\n').filter((l, i, all) => l !== '' || i < all.length - 1));
      const exitCode = crash === undefined ? 0 : status ? Number(status[1]) : 1;
      this.exited(pod, run, c, r, { reason: crash !== undefined ? 'Error' : 'Completed', exitCode, startedAt: now, finishedAt: now }, now);
      return;
    }
    r.state = 'running';
    r.startedAt = now;
    r.terminated = undefined;
    r.readySuccesses = r.readyFailures = r.liveFailures = 0;
    r.ready = !c.readinessProbe;
    const first = (p: { initialDelaySeconds?: number; periodSeconds?: number }) => {
      const period = (p.periodSeconds ?? 10) * 1000;
      const k = Math.max(1, Math.ceil(((p.initialDelaySeconds ?? 0) * 1000) / period));
      return now + k * period;
    };
    r.readyNext = c.readinessProbe ? first(c.readinessProbe) : undefined;
    r.liveNext = c.livenessProbe ? first(c.livenessProbe) : undefined;
  }

  /** A process ended: restart per restartPolicy with the kubelet's back-off (first restart at once). */
  private exited(pod: Pod, run: PodRun, c: Container, r: ContainerRun, t: Terminated, now: number): void {
    r.ready = false;
    r.readyNext = r.liveNext = undefined;
    const policy = this.restartPolicy(pod, r.init);
    const restart = policy === 'Always' || (policy === 'OnFailure' && t.exitCode !== 0);
    if (!restart) {
      r.state = 'terminated';
      r.terminated = t;
      return;
    }
    // The exit shows (Completed / Error) until the next relist; the restart decision comes then.
    r.state = 'terminated';
    r.terminated = t;
    r.pendingRestart = true;
    r.restartAt = now + RELIST_MS;
  }

  /** PLEG saw the exit: restart at once the first time, later after the back-off (counted from the exit). */
  private restartExited(pod: Pod, run: PodRun, c: Container, r: ContainerRun, now: number): boolean {
    const t = r.terminated!;
    r.pendingRestart = false;
    r.last = t;
    r.terminated = undefined;
    r.state = 'waiting';
    r.restartAt = undefined;
    if (r.backoffMs === undefined) {
      r.backoffMs = BACKOFF_INITIAL_MS;
      return this.step(pod, run, c, r, now);
    }
    const due = t.finishedAt + r.backoffMs;
    if (now >= due) {
      r.doubleOnRestart = true;
      return this.step(pod, run, c, r, now);
    }
    r.reason = 'CrashLoopBackOff';
    r.message = `back-off ${goDuration(r.backoffMs)} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${pod.metadata.uid ?? ''})`;
    r.restartAt = due;
    r.doubleOnRestart = true;
    this.ctx.events.record('kubelet', pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${pod.metadata.uid ?? ''})`);
    return false;
  }

  private probe(pod: Pod, run: PodRun, c: Container, r: ContainerRun, now: number): void {
    const spec = this.state.catalog?.lookup(c.image);
    if (!spec) return;
    // Built when a probe is due, once for all probes of this tick (the container is the same).
    let info: ContainerRuntimeInfo | undefined;
    const net = processNetworkFor(this.ctx, pod);
    const ip = run.ip ?? '';
    while (c.livenessProbe && r.state === 'running' && r.liveNext !== undefined && r.liveNext <= now) {
      const at = r.liveNext;
      const p = c.livenessProbe;
      r.liveNext += (p.periodSeconds ?? 10) * 1000;
      const out = runProbe(p, (info ??= buildRuntimeInfo(this.ctx, pod, c, r.env ?? {}, run, r.runs)), spec, ip, net);
      if (out.ok) { r.liveFailures = 0; continue; }
      r.liveFailures++;
      this.ctx.events.record('kubelet', pod, 'Warning', 'Unhealthy', `Liveness probe failed: ${out.message}`);
      if (r.liveFailures >= (p.failureThreshold ?? 3)) {
        this.ctx.events.record('kubelet', pod, 'Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`);
        this.exited(pod, run, c, r, { reason: 'Error', exitCode: 137, startedAt: r.startedAt ?? at, finishedAt: at }, now);
        return;
      }
    }
    while (c.readinessProbe && r.state === 'running' && r.readyNext !== undefined && r.readyNext <= now) {
      const p = c.readinessProbe;
      r.readyNext += (p.periodSeconds ?? 10) * 1000;
      const out = runProbe(p, (info ??= buildRuntimeInfo(this.ctx, pod, c, r.env ?? {}, run, r.runs)), spec, ip, net);
      if (out.ok) {
        r.readyFailures = 0;
        r.readySuccesses++;
        if (r.readySuccesses >= (p.successThreshold ?? 1)) r.ready = true;
        r.lastProbeMessage = undefined;
      } else {
        r.readySuccesses = 0;
        r.readyFailures++;
        if (r.lastProbeMessage !== out.message) {
          r.lastProbeMessage = out.message;
          this.ctx.events.record('kubelet', pod, 'Warning', 'Unhealthy', `Readiness probe failed: ${out.message}`);
        }
        if (r.readyFailures >= (p.failureThreshold ?? 3)) r.ready = false;
      }
    }
  }

  private scheduleWake(run: PodRun, now: number): void {
    let next = Infinity;
    next = sooner(next, run.startAt, now);
    next = sooner(next, run.removeAt, now);
    for (const r of run.containers) {
      next = sooner(next, r.restartAt, now);
      next = sooner(next, r.nextPullAt, now);
      if (r.lastPullAt !== undefined && r.reason === 'ErrImagePull') next = sooner(next, r.lastPullAt + PULL_ERROR_SHOWN_MS, now);
      next = sooner(next, r.readyNext, now);
      next = sooner(next, r.liveNext, now);
    }
    if (next === Infinity) return;
    if (run.wakeAt !== undefined && run.wakeAt > now && run.wakeAt <= next) return;
    run.wakeAt = next;
    this.ctx.controllers.enqueueAfter(KUBELET, run.key, next - now);
  }

  // ---- status -------------------------------------------------------------------------------

  private writeStatus(pod: Pod, run: PodRun, now: number): void {
    // The status is a function of the stored pod (immutable, so identity stands for content) and
    // of the kubelet's records. Most syncs are probe ticks that change neither: skip building it.
    const inputs = statusInputs(run);
    if (inputs !== undefined && run.statusOf === pod && run.statusInputs === inputs) return;
    const status = this.buildStatus(pod, run, now);
    // Unchanged as JSON text: nothing to write (jsonEqual compares without printing either).
    if (jsonEqual(status, pod.status ?? {})) {
      run.statusOf = pod;
      run.statusInputs = inputs;
      return;
    }
    // The apiserver copies what it stores, so a shallow copy with the new status is enough.
    run.statusOf = this.ctx.api.updateStatus({ ...pod, status });
    run.statusInputs = inputs;
  }

  private containerStatus(c: Container, r: ContainerRun, now: number, podUid: string): ContainerStatus {
    const iso = (ms: number) => this.ctx.clock.iso(ms);
    const term = (t: Terminated) => ({
      terminated: {
        exitCode: t.exitCode,
        reason: t.reason,
        startedAt: iso(t.startedAt),
        finishedAt: iso(t.finishedAt),
        containerID: `containerd://${sha(`${podUid}/${c.name}/${t.startedAt}`)}`,
      },
    });
    let state: ContainerStatus['state'];
    if (r.state === 'running') state = { running: { startedAt: iso(r.startedAt ?? now) } };
    else if (r.state === 'terminated' && r.terminated) state = term(r.terminated) as ContainerStatus['state'];
    else state = { waiting: r.message ? { reason: r.reason ?? 'ContainerCreating', message: r.message } : { reason: r.reason ?? 'ContainerCreating' } };
    const pulled = (r as { image?: string }).image;
    // Fields set one by one in their printed order: spreading a conditional literal was slow here.
    const status: Record<string, unknown> = { name: c.name, image: pulled ?? c.image, imageID: pulled ? imageID(pulled) : '' };
    if (r.runs > 0) status.containerID = `containerd://${sha(`${podUid}/${c.name}/${r.runs}`)}`;
    status.ready = r.ready && r.state === 'running';
    status.started = r.state === 'running';
    status.restartCount = r.restartCount;
    status.state = state;
    status.lastState = r.last ? term(r.last) : {};
    return status as unknown as ContainerStatus;
  }

  private buildStatus(pod: Pod, run: PodRun, now: number): PodStatus {
    const uid = pod.metadata.uid ?? '';
    const inits = (pod.spec.initContainers ?? []).map((c) => [c, this.runFor(run, c, true)] as const);
    const mains = pod.spec.containers.map((c) => [c, this.runFor(run, c, false)] as const);
    const initStatuses = inits.map(([c, r]) => this.containerStatus(c, r, now, uid));
    const statuses = mains.map(([c, r]) => this.containerStatus(c, r, now, uid));
    // Before init containers ran, app containers wait in PodInitializing.
    const initsDone = inits.every(([, r]) => r.state === 'terminated' && r.terminated?.exitCode === 0);
    const sandbox = run.ip !== undefined;
    const phase = podPhase(pod, inits.map(([, r]) => r), mains.map(([, r]) => r), sandbox, initsDone);
    // What five setCondition calls would leave, built in one working copy of the stored pod's
    // conditions (which watchers hold as `old` and must stay as they were): setCondition copies
    // the array on every call, and this runs for every status write.
    const conds: PodCondition[] = [...(pod.status?.conditions ?? [])];
    const t = this.ctx.clock.iso(now);
    const notReady = mains.filter(([, r]) => !(r.ready && r.state === 'running')).map(([c]) => c.name);
    const incomplete = inits.filter(([, r]) => !(r.state === 'terminated' && r.terminated?.exitCode === 0)).map(([c]) => c.name);
    const completed = phase === 'Succeeded' || phase === 'Failed';
    putCondition(conds, t, 'PodReadyToStartContainers', sandbox && !completed ? 'True' : 'False');
    if (incomplete.length && !completed) putCondition(conds, t, 'Initialized', 'False', 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`);
    else if (completed && inits.length) putCondition(conds, t, 'Initialized', 'True', 'PodCompleted');
    else putCondition(conds, t, 'Initialized', 'True');
    for (const type of ['Ready', 'ContainersReady']) {
      if (completed) putCondition(conds, t, type, 'False', 'PodCompleted');
      else if (notReady.length) putCondition(conds, t, type, 'False', 'ContainersNotReady', `containers with unready status: [${notReady.join(' ')}]`);
      else putCondition(conds, t, type, 'True');
    }
    putCondition(conds, t, 'PodScheduled', 'True');
    const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
    const conditions = conds.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
    // Fields set one by one in their printed order (spreads of conditional literals were slow here).
    const out: PodStatus & Record<string, unknown> = { phase, conditions };
    if (run.hostIP) {
      out.hostIP = run.hostIP;
      out.hostIPs = [{ ip: run.hostIP }];
    }
    if (run.ip) {
      out.podIP = run.ip;
      out.podIPs = [{ ip: run.ip }];
    }
    out.startTime = pod.status?.startTime ?? this.ctx.clock.iso(run.firstSeen);
    if (initStatuses.length) out.initContainerStatuses = initStatuses;
    out.containerStatuses = statuses;
    out.qosClass = (pod.status as Record<string, unknown> | undefined)?.qosClass ?? qosClass(pod);
    if (!initsDone) for (const s of statuses) if (s.state.waiting && s.state.waiting.reason === 'ContainerCreating' && sandbox) s.state.waiting = { reason: 'PodInitializing' };
    return out;
  }
}

/**
 * Everything of the kubelet's records that buildStatus reads, as one string: with the same
 * stored pod, equal strings give an equal status. Undefined when the status would depend on
 * the clock (a running container without a start time shows "now").
 */
function statusInputs(run: PodRun): string | undefined {
  let s = `${run.ip ?? ''}\u0000${run.hostIP ?? ''}\u0000${run.firstSeen}`;
  for (const r of run.containers) {
    if (r.state === 'running' && r.startedAt === undefined) return undefined;
    s += `\u0000${r.name}\u0001${r.init}\u0001${r.state}\u0001${r.reason ?? ''}\u0001${r.message ?? ''}\u0001${r.startedAt ?? ''}\u0001${r.ready}\u0001${r.restartCount}\u0001${r.runs}\u0001${(r as { image?: string }).image ?? ''}\u0001${termKey(r.terminated)}\u0001${termKey(r.last)}`;
  }
  return s;
}

/** The same images in the same order (every pod write is checked; no strings built). */
function sameImages(a: readonly Container[] | undefined, b: readonly Container[] | undefined): boolean {
  if (a === b) return true;
  const n = a?.length ?? 0;
  if (n !== (b?.length ?? 0)) return false;
  for (let i = 0; i < n; i++) if (a![i]!.image !== b![i]!.image) return false;
  return true;
}

// Module functions rather than closures inside the hot functions: the TypeScript loader names
// every closure when it is created, which cost more than the work they do.
function termKey(t: Terminated | undefined): string {
  return t ? `${t.exitCode}\u0001${t.reason}\u0001${t.startedAt}\u0001${t.finishedAt}` : '';
}

/** `next`, or `t` when t is a future time before it. */
function sooner(next: number, t: number | undefined, now: number): number {
  return t !== undefined && t > now && t < next ? t : next;
}

/** pkg/kubelet/kubelet_pods.go getPhase, for the cases the simulator produces. */
function podPhase(pod: Pod, inits: ContainerRun[], mains: ContainerRun[], sandbox: boolean, initsDone: boolean): PodStatus['phase'] {
  const policy = pod.spec.restartPolicy ?? 'Always';
  if (!sandbox) return 'Pending';
  if (inits.some((r) => r.state === 'terminated' && r.terminated!.exitCode !== 0) && policy === 'Never') return 'Failed';
  if (!initsDone) return 'Pending';
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const r of mains) {
    if (r.state === 'running') running++;
    else if (r.state === 'terminated') { stopped++; if (r.terminated!.exitCode === 0) succeeded++; }
    else if (r.last) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded && mains.every((r) => r.state === 'terminated')) return 'Succeeded';
    if (policy === 'Never' && mains.every((r) => r.state === 'terminated')) return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** pkg/apis/core/helper/qos: Guaranteed when every container has equal cpu and memory requests and limits. */
export function qosClass(pod: Pod): string {
  const cs = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const r of ['cpu', 'memory']) {
      const l = lim[r];
      const q = req[r] ?? l;
      if (l === undefined || String(q) !== String(l)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
