/**
 * The object model shared by the whole simulator. Objects are plain JSON as the apiserver
 * stores them (camelCase fields, string timestamps), so they print, diff and hash exactly.
 * Typed views cover the fields the simulator gives behaviour to; unknown fields are kept.
 */

export type Labels = Record<string, string>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Labels;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [k: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  // Specs are typed by the per-kind views below; the store keeps any JSON.
  spec?: any;
  status?: any;
  [k: string]: any;
}

/** A label selector as in metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

/** Identifies an object: kinds are the singular CamelCase names (Pod, Service, EndpointSlice). */
export interface ObjectRef {
  kind: string;
  namespace?: string;
  name: string;
}

export function refKey(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}//${name}`;
}

export function keyOf(obj: KubeObject): string {
  return refKey(obj.kind, obj.metadata.namespace, obj.metadata.name);
}

/** `namespace/name` or `name`, as kubectl and controllers print object keys. */
export function nsName(obj: KubeObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name;
}

/** Typed views of the kinds the simulator gives behaviour to. */

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  hostPort?: number;
}

export interface Probe {
  httpGet?: { path?: string; port: number | string; scheme?: string };
  tcpSocket?: { port: number | string };
  exec?: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: ContainerPort[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      secretKeyRef?: { name: string; key: string; optional?: boolean };
      configMapKeyRef?: { name: string; key: string; optional?: boolean };
      fieldRef?: { fieldPath: string };
    };
  }[];
  envFrom?: { configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean }; prefix?: string }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string | number>; limits?: Record<string, string | number> };
  volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  restartPolicy?: string;
  securityContext?: Record<string, unknown>;
}

export interface Volume {
  name: string;
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  configMap?: { name: string; optional?: boolean; items?: { key: string; path: string }[] };
  secret?: { secretName: string; optional?: boolean; items?: { key: string; path: string }[] };
  emptyDir?: Record<string, unknown>;
  hostPath?: { path: string; type?: string };
  [k: string]: unknown;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  nodeName?: string;
  nodeSelector?: Labels;
  tolerations?: Toleration[];
  affinity?: Record<string, any>;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** Inject Service env vars (NAME_SERVICE_HOST …) for the namespace's Services; defaulted to true. */
  enableServiceLinks?: boolean;
  hostname?: string;
  subdomain?: string;
  dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
  hostNetwork?: boolean;
  hostAliases?: { ip: string; hostnames: string[] }[];
  terminationGracePeriodSeconds?: number;
  serviceAccountName?: string;
  securityContext?: Record<string, unknown>;
}

export interface PodCondition {
  type: 'PodScheduled' | 'Initialized' | 'ContainersReady' | 'Ready' | 'PodReadyToStartContainers' | string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface ContainerStatus {
  name: string;
  image: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: {
    waiting?: { reason: string; message?: string };
    running?: { startedAt: string };
    terminated?: { reason: string; exitCode: number; message?: string };
  };
}

export interface PodStatus {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  conditions?: PodCondition[];
  podIP?: string;
  podIPs?: { ip: string }[];
  hostIP?: string;
  startTime?: string;
  reason?: string;
  message?: string;
  containerStatuses?: ContainerStatus[];
}

export interface Pod extends KubeObject {
  kind: 'Pod';
  spec: PodSpec;
  status?: PodStatus;
}

export interface ServicePort {
  name?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export interface ServiceSpec {
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  selector?: Labels;
  ports?: ServicePort[];
  clusterIP?: string;
  clusterIPs?: string[];
  externalName?: string;
  sessionAffinity?: 'None' | 'ClientIP';
  sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
  externalTrafficPolicy?: 'Cluster' | 'Local';
  internalTrafficPolicy?: 'Cluster' | 'Local';
  healthCheckNodePort?: number;
  publishNotReadyAddresses?: boolean;
  loadBalancerIP?: string;
  allocateLoadBalancerNodePorts?: boolean;
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  externalIPs?: string[];
}

export interface Service extends KubeObject {
  kind: 'Service';
  spec: ServiceSpec;
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string; ipMode?: string }[] } };
}

export interface Endpoint {
  addresses: string[];
  conditions: { ready?: boolean; serving?: boolean; terminating?: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind: string; namespace?: string; name: string; uid?: string };
}

export interface EndpointSlice extends KubeObject {
  kind: 'EndpointSlice';
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints: Endpoint[];
  ports?: { name?: string; port?: number; protocol?: string; appProtocol?: string }[];
}

export interface Node extends KubeObject {
  kind: 'Node';
  spec: { podCIDR?: string; podCIDRs?: string[]; taints?: { key: string; value?: string; effect: string; timeAdded?: string }[]; unschedulable?: boolean };
  status: {
    addresses: { type: 'InternalIP' | 'Hostname'; address: string }[];
    conditions: { type: string; status: 'True' | 'False' | 'Unknown'; reason?: string; lastHeartbeatTime?: string; lastTransitionTime?: string }[];
    allocatable: Record<string, string>;
    capacity: Record<string, string>;
    nodeInfo?: Record<string, string>;
  };
}

export interface IngressBackend {
  service?: { name: string; port: { number?: number; name?: string } };
  resource?: { apiGroup?: string; kind: string; name: string };
}

export interface Ingress extends KubeObject {
  kind: 'Ingress';
  spec: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    tls?: { hosts?: string[]; secretName?: string }[];
    rules?: {
      host?: string;
      http?: { paths: { path?: string; pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific'; backend: IngressBackend }[] };
    }[];
  };
}

/** Selector helpers used by every controller: matchLabels plus matchExpressions, as metav1. */
export function selectorMatches(sel: LabelSelector | undefined, labels: Labels | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    switch (e.operator) {
      case 'In': if (!has || !(e.values ?? []).includes(l[e.key]!)) return false; break;
      case 'NotIn': if (has && (e.values ?? []).includes(l[e.key]!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
    }
  }
  return true;
}

/** A Service's map-style selector: every key must match, and an empty selector selects nothing. */
export function mapSelectorMatches(sel: Labels | undefined, labels: Labels | undefined): boolean {
  if (!sel || Object.keys(sel).length === 0) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel)) if (l[k] !== v) return false;
  return true;
}
