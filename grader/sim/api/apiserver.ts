/**
 * STUB — owned by the apiserver work (issue 2, item 2). The simulated apiserver: per-kind
 * strategies (validate, prepareForCreate, validateUpdate), defaulting, admission, ClusterIP
 * and NodePort allocation, and kubectl-apply semantics.
 */
import type { ObjectStore } from './store.ts';
import type { KubeObject } from './types.ts';
import type { ApiWriter, ClusterConfig, DeleteOptions, EventRecorder } from '../runtime/context.ts';
import type { VirtualClock } from '../../util/clock.ts';
import type { Rng } from '../../util/rng.ts';

export interface ApiServerDeps {
  store: ObjectStore;
  clock: VirtualClock;
  rng: Rng;
  config: ClusterConfig;
  /** Shared warnings list: e.g. "stored without simulated behaviour". */
  warnings: string[];
  events: EventRecorder;
}

export interface ApplyOutcome {
  action: 'created' | 'configured' | 'unchanged';
  /** The namespace the object landed in (defaulted to `default` for namespaced kinds), undefined for cluster-scoped. */
  namespace?: string;
}

export class SimApiServer implements ApiWriter {
  constructor(readonly deps: ApiServerDeps) {}
  /** System namespaces (default, kube-system, kube-public, kube-node-lease) and the `kubernetes` Service. */
  bootstrap(): void {
    throw new Error('not implemented');
  }
  /** kubectl apply of one object: create, or update in place. Throws ApiError as the apiserver would. */
  apply(_obj: KubeObject): ApplyOutcome {
    throw new Error('not implemented');
  }
  create<T extends KubeObject>(_obj: T): T {
    throw new Error('not implemented');
  }
  update<T extends KubeObject>(_obj: T): T {
    throw new Error('not implemented');
  }
  updateStatus<T extends KubeObject>(_obj: T): T {
    throw new Error('not implemented');
  }
  delete(_kind: string, _namespace: string | undefined, _name: string, _opts?: DeleteOptions): void {
    throw new Error('not implemented');
  }
}
