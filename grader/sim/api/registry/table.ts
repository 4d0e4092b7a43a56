/** Which strategy serves which kind; everything else gets the generic one. */
import { daemonSetStrategy, deploymentStrategy, replicaSetStrategy, replicationControllerStrategy, statefulSetStrategy } from './apps.ts';
import { configMapStrategy, secretStrategy } from './config.ts';
import { ingressClassStrategy, ingressStrategy } from './ingress.ts';
import { crdStrategy, endpointSliceStrategy, genericStrategy, namespaceStrategy, nodeStrategy } from './misc.ts';
import { podStrategy } from './pod.ts';
import { podDisruptionBudgetStrategy } from './policy.ts';
import { serviceStrategy } from './service.ts';
import { pvcStrategy, storageClassStrategy } from './storage.ts';
import type { Strategy } from './strategy.ts';
import type { KindInfo } from '../kinds.ts';
import { QUANTITY_PATHS, canonicalizeQuantities } from '../validation/quantity.ts';

const STRATEGIES: Record<string, Strategy> = {
  Pod: podStrategy,
  Service: serviceStrategy,
  ConfigMap: configMapStrategy,
  Secret: secretStrategy,
  Namespace: namespaceStrategy,
  Node: nodeStrategy,
  PersistentVolumeClaim: pvcStrategy,
  ReplicationController: replicationControllerStrategy,
  Deployment: deploymentStrategy,
  ReplicaSet: replicaSetStrategy,
  StatefulSet: statefulSetStrategy,
  DaemonSet: daemonSetStrategy,
  Ingress: ingressStrategy,
  IngressClass: ingressClassStrategy,
  EndpointSlice: endpointSliceStrategy,
  StorageClass: storageClassStrategy,
  CustomResourceDefinition: crdStrategy,
  PodDisruptionBudget: podDisruptionBudgetStrategy,
};

const withQuantities = new Map<string, Strategy>();

/**
 * Kinds that hold resource.Quantity values store them in canonical form (`0.5` → "500m"):
 * the decoder parses them and the object is re-encoded, before defaulting runs.
 */
function canonicalQuantities(kind: string, s: Strategy): Strategy {
  if (!QUANTITY_PATHS[kind]) return s;
  let w = withQuantities.get(kind);
  if (!w || Object.getPrototypeOf(w) !== s) {
    w = Object.create(s, {
      defaults: {
        value(obj: Parameters<NonNullable<Strategy['defaults']>>[0], ctx: Parameters<NonNullable<Strategy['defaults']>>[1]) {
          canonicalizeQuantities(obj);
          s.defaults?.(obj, ctx);
        },
      },
    }) as Strategy;
    withQuantities.set(kind, w);
  }
  return w;
}

export function strategyFor(info: KindInfo): Strategy {
  if (info.crd) return genericStrategy(info.kind, true);
  return canonicalQuantities(info.kind, STRATEGIES[info.kind] ?? genericStrategy(info.kind, false));
}
