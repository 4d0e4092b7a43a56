/** Which strategy serves which kind; everything else gets the generic one. */
import { daemonSetStrategy, deploymentStrategy, replicaSetStrategy, replicationControllerStrategy, statefulSetStrategy } from './apps.ts';
import { configMapStrategy, secretStrategy } from './config.ts';
import { ingressClassStrategy, ingressStrategy } from './ingress.ts';
import { crdStrategy, endpointSliceStrategy, genericStrategy, namespaceStrategy, nodeStrategy } from './misc.ts';
import { podStrategy } from './pod.ts';
import { serviceStrategy } from './service.ts';
import { pvcStrategy, storageClassStrategy } from './storage.ts';
import type { Strategy } from './strategy.ts';
import type { KindInfo } from '../kinds.ts';

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
};

export function strategyFor(info: KindInfo): Strategy {
  if (info.crd) return genericStrategy(info.kind, true);
  return STRATEGIES[info.kind] ?? genericStrategy(info.kind, false);
}
