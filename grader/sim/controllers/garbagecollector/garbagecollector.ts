/**
 * The garbage collector (pkg/controller/garbagecollector) with background propagation, the
 * default for kubectl delete: once no owner in an object's ownerReferences exists any more,
 * the object is deleted; owners that are gone are dropped from the list when others remain.
 * Owners are looked up by uid, so a new object with the old name does not adopt the leftovers.
 */
import { jsonEqual } from '../../api/json-equal.ts';
import { cloneApi } from '../../api/clone.ts';
import type { WatchEvent } from '../../api/store.ts';
import type { KubeObject } from '../../api/types.ts';
import type { Controller } from '../../runtime/controller-manager.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import { ApiError } from '../../../errors.ts';
import { workloadState } from '../../nodes/state.ts';

export const GARBAGE_COLLECTOR = 'garbagecollector';
const SEP = '\u0000';

function gcKey(o: KubeObject): string {
  return `${o.kind}${SEP}${o.metadata.namespace ?? ''}${SEP}${o.metadata.name}`;
}

export class GarbageCollector implements Controller {
  readonly name = GARBAGE_COLLECTOR;
  constructor(private readonly ctx: ClusterContext) {}

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    if (ev.type === 'DELETED') return workloadState(this.ctx).cache.dependents(o.metadata.uid).map(gcKey);
    const refs = o.metadata.ownerReferences;
    if (!refs?.length) return [];
    if (ev.type === 'MODIFIED' && jsonEqual(ev.old?.metadata.ownerReferences, refs)) return [];
    return [gcKey(o)];
  }

  sync(key: string): void {
    const [kind, ns, name] = key.split(SEP) as [string, string, string];
    const obj = this.ctx.store.get(kind, ns || undefined, name);
    const refs = obj?.metadata.ownerReferences;
    if (!obj || !refs?.length || obj.metadata.deletionTimestamp) return;
    const cache = workloadState(this.ctx).cache;
    const alive = refs.filter((r) => {
      const owner = cache.byUID(r.uid);
      return !!owner && owner.kind === r.kind && owner.metadata.name === r.name;
    });
    try {
      if (alive.length === 0) {
        this.ctx.api.delete(kind, ns || undefined, name);
      } else if (alive.length < refs.length) {
        const next = cloneApi(obj);
        next.metadata.ownerReferences = alive;
        this.ctx.api.update(next);
      }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
  }
}
