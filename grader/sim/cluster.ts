/**
 * The simulated cluster: one object that wires the apiserver, the controllers (workloads and
 * networking), the virtual clock and the seeded RNG, and offers what a grader needs —
 * apply, wait, act, probe, look. Everything runs synchronously in this process.
 */
import { ObjectStore, compareObjects } from './api/store.ts';
import type { KubeObject } from './api/types.ts';
import { SimApiServer } from './api/apiserver.ts';
import { ControllerManager } from './runtime/controller-manager.ts';
import { type ClusterConfig, type ClusterContext, DEFAULT_CLUSTER_CONFIG, EventRecorder } from './runtime/context.ts';
import { VirtualClock } from '../util/clock.ts';
import { Rng } from '../util/rng.ts';
import { installWorkloads, type WorkloadOps } from './install-workloads.ts';
import { installNetwork, type SimNetwork } from './install-network.ts';
import { renderViews } from './views/index.ts';
import type { ImageSpec } from './images/types.ts';
import type { LoadedDocument } from '../manifests/types.ts';
import type { Action, ActionResult, ApplyResult, RolloutResult } from '../backend/types.ts';
import { ApiError, ApiErrorReason } from '../errors.ts';
import { cloneGraph, markShared } from './fork/clone.ts';

export interface SimClusterOptions extends Partial<ClusterConfig> {
  /** Extra images (a lab's `images:`), added to the built-in catalogue. */
  images?: ImageSpec[];
}

export class SimCluster {
  readonly config: ClusterConfig;
  readonly ctx: ClusterContext;
  readonly api: SimApiServer;
  readonly workloads: WorkloadOps;
  readonly net: SimNetwork;

  constructor(opts: SimClusterOptions = {}) {
    const { images, ...cfg } = opts;
    this.config = { ...DEFAULT_CLUSTER_CONFIG, ...cfg };
    const store = new ObjectStore();
    const clock = new VirtualClock();
    const rng = new Rng(this.config.seed);
    const warnings: string[] = [];
    const events = new EventRecorder(clock);
    const controllers = new ControllerManager(store, clock);
    this.api = new SimApiServer({ store, clock, rng: rng.fork('apiserver'), config: this.config, warnings, events });
    this.ctx = { config: this.config, store, api: this.api, clock, rng, events, controllers, warnings };
    // Order matters only for bootstrapping: nodes and system namespaces first, then addons.
    this.api.bootstrap();
    this.workloads = installWorkloads(this.ctx, { images: images ?? [] });
    this.net = installNetwork(this.ctx, this.workloads);
    this.settle();
    this.waitForRollout(120);
    // The image catalogue is complete once the addons are installed; forks share it.
    markShared(this.workloads.images);
  }

  /**
   * An independent cluster in exactly this one's state — objects, controllers' queues, kubelet
   * records, pending timers, clock and RNG — as if the same steps had been replayed on a fresh
   * cluster, at the cost of a copy (grader/sim/fork/clone.ts). Stored API objects are frozen
   * and shared by both; everything that changes is copied.
   */
  fork(): SimCluster {
    this.ctx.store.freezeAll();
    // Frozen means immutable here: the stored objects, and constant tables frozen at birth.
    return cloneGraph(this, { share: (o) => Object.isFrozen(o) });
  }

  /** `kubectl apply -f` for already-loaded documents: each document succeeds or fails on its own. */
  apply(documents: LoadedDocument[]): ApplyResult {
    const result: ApplyResult = { applied: [], failed: [], warnings: [] };
    const before = this.ctx.warnings.length;
    for (const doc of documents) {
      try {
        const action = this.api.apply(doc.object);
        result.applied.push({
          ref: { kind: doc.object.kind, namespace: action.namespace, name: doc.object.metadata?.name },
          file: doc.file,
          line: doc.line,
          action: action.action,
        });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        // kubectl itself reports a kind the server does not serve, before any request, in its
        // own words (cmd/apply: "resource mapping not found … ensure CRDs are installed first").
        const message = err.reason === ApiErrorReason.NoKindMatch
          ? `resource mapping not found for name: "${doc.object?.metadata?.name ?? ''}" namespace: "${doc.object?.metadata?.namespace ?? ''}" from "${doc.file}": ${err.message}\nensure CRDs are installed first`
          : err.message;
        result.failed.push({
          file: doc.file,
          line: doc.line,
          ref: doc.object?.kind && doc.object?.metadata?.name ? { kind: doc.object.kind, namespace: doc.object.metadata.namespace, name: doc.object.metadata.name } : undefined,
          message,
        });
      }
    }
    // As with kubectl, the apiserver takes every document first and the controllers catch up
    // afterwards: one settle for the whole apply, not one per document.
    this.settle();
    result.warnings.push(...this.ctx.warnings.slice(before));
    return result;
  }

  /** Run every controller until nothing is left to do at the current instant. */
  settle(): void {
    this.ctx.controllers.settle();
  }

  /** Move virtual time forward, firing timers (probes, grace periods, evictions) in order. */
  advance(seconds: number): void {
    const limit = this.ctx.clock.now() + seconds * 1000;
    this.settle();
    while (this.ctx.clock.step(limit)) this.settle();
    this.settle();
  }

  /**
   * Advance time until every workload has rolled out (as `kubectl rollout status`), or the
   * bound passes. Stops early once nothing is pending that could still change the outcome.
   */
  waitForRollout(timeoutSeconds: number): RolloutResult {
    const start = this.ctx.clock.now();
    const limit = start + timeoutSeconds * 1000;
    this.settle();
    const status_ = () => [...this.workloads.rolloutStatus(), ...this.barePodStatus()];
    let status = status_();
    while (!status.every((w) => w.ready)) {
      const due = this.ctx.clock.nextDue();
      if (due === undefined || due > limit) break;
      this.ctx.clock.step(limit);
      this.settle();
      status = status_();
    }
    return {
      complete: status.every((w) => w.ready),
      workloads: status,
      waitedSeconds: Math.round((this.ctx.clock.now() - start) / 1000),
    };
  }

  /**
   * Pods no controller owns are waited for too, as `kubectl wait --for=condition=Ready pod --all`
   * would: Ready, or finished (Succeeded/Failed) for run-to-completion pods.
   */
  private barePodStatus(): RolloutResult['workloads'] {
    const out: RolloutResult['workloads'] = [];
    // Filter first, sort the few bare pods after: the same order as a sorted list of every pod.
    const bare: KubeObject[] = [];
    for (const p of this.ctx.store.iterate('Pod')) {
      if (p.metadata.ownerReferences?.some((o) => o.controller) || p.metadata.deletionTimestamp) continue;
      bare.push(p);
    }
    for (const p of bare.sort(compareObjects)) {
      const phase = p.status?.phase;
      const ready = phase === 'Succeeded' || phase === 'Failed' || p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') === true;
      out.push({
        ref: { kind: 'Pod', namespace: p.metadata.namespace, name: p.metadata.name },
        ready,
        message: ready ? `pod/${p.metadata.name} condition met` : `waiting for pod/${p.metadata.name} to be Ready (${phase ?? 'Pending'})`,
      });
    }
    return out;
  }

  act(action: Action): ActionResult {
    switch (action.type) {
      case 'advance':
        this.advance(action.seconds);
        return { summary: `advanced the clock ${action.seconds} s` };
      case 'apply': {
        const r = this.apply(action.documents);
        const failed = r.failed.map((f) => f.message).join('; ');
        return { summary: `applied ${r.applied.length} object(s)${failed ? `, failed: ${failed}` : ''}` };
      }
      default: {
        const summary = this.workloads.act(action);
        this.settle();
        return { summary };
      }
    }
  }

  views(namespace?: string): string {
    return renderViews(this.ctx, namespace);
  }
}
