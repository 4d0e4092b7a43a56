/**
 * Runs controllers the way kube-controller-manager does, but synchronously and in a fixed
 * order: watch events only enqueue keys (deduplicated per controller), and `settle()` drains
 * the queues until no controller has work left. Delayed requeues go through the virtual
 * clock, so "after 40 s" happens exactly when the clock says so.
 */
import type { ObjectStore, WatchEvent, WatchListener } from '../api/store.ts';
import type { TimerTarget, VirtualClock } from '../../util/clock.ts';

export interface Controller {
  readonly name: string;
  /** Map a watch event to the keys this controller must reconcile (often none). */
  keysFor(ev: WatchEvent): string[];
  /** Reconcile one key. Must be idempotent: it may be called for a key with nothing to do. */
  sync(key: string): void;
}

/** A controller that loops on itself more than this is a bug, not a slow convergence. */
const MAX_SYNCS_PER_SETTLE = 2_000_000;

export class ControllerManager implements WatchListener, TimerTarget {
  private controllers: Controller[] = [];
  private queues = new Map<string, { order: string[]; pending: Set<string> }>();
  private settling = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: VirtualClock,
  ) {
    store.watch(this);
  }

  register(c: Controller): void {
    if (this.queues.has(c.name)) throw new Error(`controller ${c.name} registered twice`);
    this.controllers.push(c);
    this.queues.set(c.name, { order: [], pending: new Set() });
  }

  enqueue(controller: string, key: string): void {
    const q = this.queues.get(controller);
    if (!q) throw new Error(`unknown controller ${controller}`);
    if (q.pending.has(key)) return;
    q.pending.add(key);
    q.order.push(key);
  }

  /** Requeue after a delay of virtual time (as workqueue.AddAfter). */
  enqueueAfter(controller: string, key: string, delayMs: number): void {
    this.clock.after(delayMs, `${controller}:${key}`, this, [controller, key]);
  }

  /** TimerTarget: a delayed requeue is due. */
  onTimer(data: unknown): void {
    const [controller, key] = data as [string, string];
    this.enqueue(controller, key);
  }

  hasWork(): boolean {
    for (const q of this.queues.values()) if (q.order.length) return true;
    return false;
  }

  /** Drain every queue at the current instant. Re-entrant calls are no-ops. */
  settle(): void {
    if (this.settling) return;
    this.settling = true;
    try {
      let syncs = 0;
      let progressed = true;
      while (progressed) {
        progressed = false;
        for (const c of this.controllers) {
          const q = this.queues.get(c.name)!;
          // Take the current batch; keys enqueued during it run in the next round.
          const batch = q.order;
          q.order = [];
          for (const key of batch) {
            q.pending.delete(key);
            c.sync(key);
            progressed = true;
            if (++syncs > MAX_SYNCS_PER_SETTLE) {
              throw new Error(`controllers did not converge (last: ${c.name} ${key})`);
            }
          }
        }
      }
    } finally {
      this.settling = false;
    }
  }

  /** WatchListener: called by the store for every write. */
  onWatchEvent(ev: WatchEvent): void {
    for (const c of this.controllers) {
      const keys = c.keysFor(ev);
      if (keys.length === 0) continue;
      // enqueue() inlined, with one queue lookup per controller: this runs for every write.
      const q = this.queues.get(c.name)!;
      for (const key of keys) {
        if (q.pending.has(key)) continue;
        q.pending.add(key);
        q.order.push(key);
      }
    }
  }
}
