/**
 * Mutating admission plugins a kind cluster runs by default (kube-apiserver's
 * --enable-admission-plugins defaults), limited to those that change what students see.
 * They run on create, after defaulting and before validation, as in the apiserver.
 */
import { compareStrings } from '../../../util/compare.ts';
import { ApiError, ApiErrorReason } from '../../../errors.ts';
import type { ObjectStore } from '../store.ts';
import type { KubeObject, Toleration } from '../types.ts';
import type { ClusterConfig } from '../../runtime/context.ts';

export interface AdmissionContext {
  store: ObjectStore;
  config: ClusterConfig;
}

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const IS_DEFAULT_INGRESS_CLASS = 'ingressclass.kubernetes.io/is-default-class';
export const IS_DEFAULT_STORAGE_CLASS = 'storageclass.kubernetes.io/is-default-class';
const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/**
 * DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds): every pod that does
 * not already tolerate them gets not-ready and unreachable NoExecute tolerations for
 * --default-not-ready-toleration-seconds / --default-unreachable-toleration-seconds (300 s),
 * which is why a lost node's pods are evicted about five minutes later.
 */
export function defaultTolerationSeconds(pod: KubeObject, ctx: AdmissionContext): void {
  const tolerations: Toleration[] = (pod.spec.tolerations ??= []);
  const tolerates = (key: string) => tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const seconds = ctx.config.defaultTolerationSeconds;
  if (!tolerates(TAINT_NOT_READY)) tolerations.push({ key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  if (!tolerates(TAINT_UNREACHABLE)) tolerations.push({ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
}

/** Priority (priority 0 without a PriorityClass) and ServiceAccount (`default`) plugins. */
export function podAdmissionDefaults(pod: KubeObject): void {
  pod.spec.priority ??= 0;
  pod.spec.preemptionPolicy ??= 'PreemptLowerPriority';
  pod.spec.serviceAccountName ??= pod.spec.serviceAccount ?? 'default';
  pod.spec.serviceAccount ??= pod.spec.serviceAccountName;
}

/**
 * DefaultIngressClass (plugin/pkg/admission/network/defaultingressclass): an Ingress with
 * neither spec.ingressClassName nor the legacy annotation gets the class marked default.
 * Two default classes make the create fail, as upstream's getDefaultClass does.
 */
export function defaultIngressClass(ing: KubeObject, ctx: AdmissionContext): void {
  ing.spec ??= {};
  if (ing.spec.ingressClassName !== undefined && ing.spec.ingressClassName !== null) return;
  if (ing.metadata.annotations && INGRESS_CLASS_ANNOTATION in ing.metadata.annotations) return;
  const defaults = ctx.store.list('IngressClass').filter((c) => c.metadata.annotations?.[IS_DEFAULT_INGRESS_CLASS] === 'true');
  if (defaults.length === 0) return;
  if (defaults.length > 1) {
    throw new ApiError(
      ApiErrorReason.Forbidden,
      `ingresses.networking.k8s.io "${ing.metadata.name}" is forbidden: Internal error occurred: ${defaults.length} default IngressClasses were found, only 1 allowed`,
      403,
    );
  }
  ing.spec.ingressClassName = defaults[0]!.metadata.name;
}

/**
 * DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault): a claim with no
 * class (field or beta annotation) gets the default StorageClass; with several defaults the
 * newest wins (since 1.26).
 */
export function defaultStorageClass(pvc: KubeObject, ctx: AdmissionContext): void {
  pvc.spec ??= {};
  if (pvc.spec.storageClassName !== undefined && pvc.spec.storageClassName !== null) return;
  if (pvc.metadata.annotations?.[BETA_STORAGE_CLASS] !== undefined) return;
  const defaults = ctx.store.list('StorageClass').filter((c) => c.metadata.annotations?.[IS_DEFAULT_STORAGE_CLASS] === 'true');
  if (defaults.length === 0) return;
  defaults.sort((a, b) => compareStrings(String(b.metadata.creationTimestamp ?? ''), String(a.metadata.creationTimestamp ?? '')) || compareStrings(a.metadata.name, b.metadata.name));
  pvc.spec.storageClassName = defaults[0]!.metadata.name;
}

/** All mutating admission for a create, by kind. */
export function admitCreate(obj: KubeObject, ctx: AdmissionContext): void {
  switch (obj.kind) {
    case 'Pod':
      podAdmissionDefaults(obj);
      defaultTolerationSeconds(obj, ctx);
      break;
    case 'Ingress':
      defaultIngressClass(obj, ctx);
      break;
    case 'PersistentVolumeClaim':
      defaultStorageClass(obj, ctx);
      break;
  }
}
