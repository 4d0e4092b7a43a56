/**
 * StorageClass facts shared by the PV controller and the scheduler's VolumeBinding filter.
 * kind installs one default class, `standard`, served by rancher.io/local-path
 * (kind pkg/cluster/internal/create/actions/installstorage/storage.go): WaitForFirstConsumer,
 * reclaimPolicy Delete, node-local volumes. No other provisioner runs on kind.
 */
import { compareStrings } from '../../../util/compare.ts';
import type { KubeObject } from '../../api/types.ts';
import type { ClusterContext } from '../../runtime/context.ts';

export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';

/** Provisioners that actually run in a kind cluster. A class naming another one never provisions. */
export const INSTALLED_PROVISIONERS: readonly string[] = [LOCAL_PATH_PROVISIONER];

export function standardStorageClass(): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

/**
 * The class a claim asks for: spec.storageClassName, else the legacy beta annotation
 * (pkg/apis/core/v1/helper GetPersistentVolumeClaimClass). undefined = "no class given"
 * (the default class applies); "" = explicitly no class (static PVs without a class only).
 */
export function claimClass(pvc: KubeObject): string | undefined {
  const ann = pvc.metadata.annotations?.[BETA_CLASS_ANNOTATION];
  if (ann !== undefined) return ann;
  return pvc.spec?.storageClassName ?? undefined;
}

export function volumeClass(pv: KubeObject): string {
  return pv.metadata.annotations?.[BETA_CLASS_ANNOTATION] ?? pv.spec?.storageClassName ?? '';
}

export function defaultClass(ctx: ClusterContext): KubeObject | undefined {
  // Several defaults: the newest wins (since 1.26); ties by name for determinism.
  const defaults = ctx.store.list('StorageClass').filter((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  defaults.sort((a, b) => compareStrings(b.metadata.creationTimestamp ?? '', a.metadata.creationTimestamp ?? '') || compareStrings(a.metadata.name, b.metadata.name));
  return defaults[0];
}

/** The StorageClass object a claim resolves to (the default one when none is named), if it exists. */
export function resolveClaimClass(ctx: ClusterContext, pvc: KubeObject): KubeObject | undefined {
  const name = claimClass(pvc);
  if (name === '') return undefined;
  if (name === undefined) return defaultClass(ctx);
  return ctx.store.get('StorageClass', undefined, name);
}

export function isWaitForFirstConsumer(cls: KubeObject | undefined): boolean {
  return cls?.volumeBindingMode === 'WaitForFirstConsumer';
}

export function isBound(pvc: KubeObject): boolean {
  return pvc.status?.phase === 'Bound' && !!pvc.spec?.volumeName;
}
