/**
 * One strategy per kind, in the shape of k8s pkg/registry/<group>/<kind>/strategy.go: scheme
 * defaulting, PrepareForCreate/PrepareForUpdate, Validate/ValidateUpdate, plus the
 * BeginCreate/BeginUpdate hooks the Service REST storage uses for IP and port allocation.
 */
import type { ObjectStore } from '../store.ts';
import type { KubeObject } from '../types.ts';
import type { ClusterConfig } from '../../runtime/context.ts';
import type { VirtualClock } from '../../../util/clock.ts';
import type { FieldError } from '../validation/field.ts';
import type { NameValidator } from '../validation/names.ts';
import type { ClusterIPAllocator } from '../allocators/cluster-ip.ts';
import type { NodePortAllocator } from '../allocators/node-port.ts';
import type { KindInfo } from '../kinds.ts';

export interface StrategyContext {
  readonly store: ObjectStore;
  readonly config: ClusterConfig;
  readonly clock: VirtualClock;
  readonly clusterIPs: ClusterIPAllocator;
  readonly nodePorts: NodePortAllocator;
  readonly info: KindInfo;
}

/** Allocations made by a Begin hook: undone when validation or storage fails. */
export interface Transaction {
  commit(): void;
  revert(): void;
}

export interface Strategy {
  /** How metadata.name is checked (DNS-1123 subdomain for most kinds). */
  readonly nameValidator: NameValidator;
  /** Whether metadata.generation is kept (1 on create, +1 when spec changes). */
  readonly tracksGeneration: boolean;
  /** Whether status is a subresource: update() keeps the stored status, updateStatus() only writes it. */
  readonly statusSubresource: boolean;
  /** Scheme defaulting (SetDefaults_*); runs on create and on update, as decoding does. */
  defaults?(obj: KubeObject, ctx: StrategyContext): void;
  prepareForCreate?(obj: KubeObject, ctx: StrategyContext): void;
  prepareForUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): void;
  /** BeginCreate: may allocate; throws ApiError when allocation fails. */
  beginCreate?(obj: KubeObject, ctx: StrategyContext): Transaction | undefined;
  beginUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): Transaction | undefined;
  validate(obj: KubeObject, ctx: StrategyContext): FieldError[];
  /** Used instead of validate() on update when present (it usually calls validate itself). */
  validateUpdate?(obj: KubeObject, old: KubeObject, ctx: StrategyContext): FieldError[];
  /** After the object left the store: release what it held. */
  afterDelete?(obj: KubeObject, ctx: StrategyContext): void;
}

export const NO_TRANSACTION: Transaction = { commit() {}, revert() {} };
