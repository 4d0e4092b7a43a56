/**
 * The kinds the simulated apiserver serves: Kubernetes 1.31's built-in group/versions
 * (removed betas such as extensions/v1beta1 are absent on purpose, so they fail with
 * `no matches for kind` as on a real 1.31 cluster), plus whatever CustomResourceDefinitions
 * register at run time.
 */
import { ApiError, ApiErrorReason } from '../../errors.ts';
import type { KubeObject } from './types.ts';

export interface KindInfo {
  /** '' for the core group. */
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
  kind: string;
  /** Lower-case plural resource name: `services`, `ingresses`. */
  plural: string;
  namespaced: boolean;
  /** Whether some part of the simulator gives this kind behaviour; if not, apply warns. */
  modelled: boolean;
  /** Registered by a CustomResourceDefinition (name of the CRD). */
  crd?: string;
}

const k = (group: string, versions: string[], kind: string, plural: string, namespaced: boolean, modelled: boolean): KindInfo => ({
  group,
  versions,
  kind,
  plural,
  namespaced,
  modelled,
});

/** Built-in resources of Kubernetes 1.31 with their served versions (kubectl api-resources on kind v1.31). */
export const BUILTIN_KINDS: readonly KindInfo[] = [
  k('', ['v1'], 'Pod', 'pods', true, true),
  k('', ['v1'], 'Service', 'services', true, true),
  k('', ['v1'], 'Endpoints', 'endpoints', true, true),
  k('', ['v1'], 'ConfigMap', 'configmaps', true, true),
  k('', ['v1'], 'Secret', 'secrets', true, true),
  k('', ['v1'], 'Namespace', 'namespaces', false, true),
  k('', ['v1'], 'Node', 'nodes', false, true),
  k('', ['v1'], 'PersistentVolumeClaim', 'persistentvolumeclaims', true, true),
  k('', ['v1'], 'PersistentVolume', 'persistentvolumes', false, true),
  k('', ['v1'], 'ReplicationController', 'replicationcontrollers', true, true),
  k('', ['v1'], 'Event', 'events', true, true),
  k('', ['v1'], 'ServiceAccount', 'serviceaccounts', true, false),
  k('', ['v1'], 'LimitRange', 'limitranges', true, false),
  k('', ['v1'], 'ResourceQuota', 'resourcequotas', true, false),
  k('', ['v1'], 'PodTemplate', 'podtemplates', true, false),
  k('apps', ['v1'], 'Deployment', 'deployments', true, true),
  k('apps', ['v1'], 'ReplicaSet', 'replicasets', true, true),
  k('apps', ['v1'], 'StatefulSet', 'statefulsets', true, true),
  k('apps', ['v1'], 'DaemonSet', 'daemonsets', true, true),
  k('apps', ['v1'], 'ControllerRevision', 'controllerrevisions', true, true),
  k('batch', ['v1'], 'Job', 'jobs', true, false),
  k('batch', ['v1'], 'CronJob', 'cronjobs', true, false),
  k('policy', ['v1'], 'PodDisruptionBudget', 'poddisruptionbudgets', true, true),
  k('networking.k8s.io', ['v1'], 'Ingress', 'ingresses', true, true),
  k('networking.k8s.io', ['v1'], 'IngressClass', 'ingressclasses', false, true),
  k('networking.k8s.io', ['v1'], 'NetworkPolicy', 'networkpolicies', true, false),
  k('discovery.k8s.io', ['v1'], 'EndpointSlice', 'endpointslices', true, true),
  k('storage.k8s.io', ['v1'], 'StorageClass', 'storageclasses', false, true),
  k('storage.k8s.io', ['v1'], 'CSIDriver', 'csidrivers', false, false),
  k('storage.k8s.io', ['v1'], 'CSINode', 'csinodes', false, false),
  k('storage.k8s.io', ['v1'], 'CSIStorageCapacity', 'csistoragecapacities', true, false),
  k('storage.k8s.io', ['v1'], 'VolumeAttachment', 'volumeattachments', false, false),
  k('rbac.authorization.k8s.io', ['v1'], 'Role', 'roles', true, false),
  k('rbac.authorization.k8s.io', ['v1'], 'RoleBinding', 'rolebindings', true, false),
  k('rbac.authorization.k8s.io', ['v1'], 'ClusterRole', 'clusterroles', false, false),
  k('rbac.authorization.k8s.io', ['v1'], 'ClusterRoleBinding', 'clusterrolebindings', false, false),
  k('autoscaling', ['v2', 'v1'], 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, false),
  k('coordination.k8s.io', ['v1'], 'Lease', 'leases', true, true),
  k('apiextensions.k8s.io', ['v1'], 'CustomResourceDefinition', 'customresourcedefinitions', false, true),
  k('admissionregistration.k8s.io', ['v1'], 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false, false),
  k('admissionregistration.k8s.io', ['v1'], 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false, false),
  k('admissionregistration.k8s.io', ['v1'], 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false, false),
  k('admissionregistration.k8s.io', ['v1'], 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', false, false),
  k('scheduling.k8s.io', ['v1'], 'PriorityClass', 'priorityclasses', false, false),
  k('node.k8s.io', ['v1'], 'RuntimeClass', 'runtimeclasses', false, false),
  k('certificates.k8s.io', ['v1'], 'CertificateSigningRequest', 'certificatesigningrequests', false, false),
  k('events.k8s.io', ['v1'], 'Event', 'events', true, true),
  k('flowcontrol.apiserver.k8s.io', ['v1'], 'FlowSchema', 'flowschemas', false, false),
  k('flowcontrol.apiserver.k8s.io', ['v1'], 'PriorityLevelConfiguration', 'prioritylevelconfigurations', false, false),
  k('apiregistration.k8s.io', ['v1'], 'APIService', 'apiservices', false, false),
];

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** `services`, `deployments.apps`: how the apiserver names a resource in NotFound/AlreadyExists. */
export function qualifiedResource(info: KindInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural;
}

export function noKindMatch(kind: string, apiVersion: string): ApiError {
  return new ApiError(ApiErrorReason.NoKindMatch, `no matches for kind "${kind}" in version "${apiVersion}"`, 404);
}

/** The table of served kinds: built-ins plus CRD-registered kinds, indexed by group/version/kind. */
export class KindRegistry {
  private byGVK = new Map<string, KindInfo>();
  /** By kind name alone, for the store (which keys objects by kind). Built-ins win over CRDs. */
  private byKind = new Map<string, KindInfo>();

  constructor() {
    for (const info of BUILTIN_KINDS) this.add(info);
  }

  private add(info: KindInfo): void {
    for (const v of info.versions) this.byGVK.set(`${info.group}/${v}/${info.kind}`, info);
    if (!this.byKind.has(info.kind)) this.byKind.set(info.kind, info);
  }

  /** The kind for an object's apiVersion and kind, or the apiserver's NoKindMatch. */
  resolve(apiVersion: unknown, kind: unknown): KindInfo {
    const av = typeof apiVersion === 'string' ? apiVersion : '';
    const kd = typeof kind === 'string' ? kind : '';
    const { group, version } = splitApiVersion(av);
    const info = this.byGVK.get(`${group}/${version}/${kd}`);
    if (!info) throw noKindMatch(kd, av);
    return info;
  }

  /** By kind name (store kinds are singular CamelCase): used by delete, views and cascading. */
  byKindName(kind: string): KindInfo | undefined {
    return this.byKind.get(kind);
  }

  all(): KindInfo[] {
    return [...this.byKind.values()];
  }

  /** Serve the kinds a CRD defines (only its served versions). A CRD never shadows a built-in kind name. */
  registerCRD(crd: KubeObject): KindInfo | undefined {
    const spec = crd.spec ?? {};
    const names = spec.names ?? {};
    if (!spec.group || !names.kind || !names.plural) return undefined;
    const versions = ((spec.versions ?? []) as { name: string; served?: boolean }[]).filter((v) => v.served !== false).map((v) => v.name);
    const info: KindInfo = {
      group: spec.group,
      versions,
      kind: names.kind,
      plural: names.plural,
      namespaced: spec.scope !== 'Cluster',
      modelled: false,
      crd: crd.metadata.name,
    };
    this.unregisterCRD(crd.metadata.name);
    for (const v of versions) this.byGVK.set(`${info.group}/${v}/${info.kind}`, info);
    if (!this.byKind.has(info.kind)) this.byKind.set(info.kind, info);
    return info;
  }

  unregisterCRD(crdName: string): KindInfo | undefined {
    let found: KindInfo | undefined;
    for (const [key, info] of this.byGVK) {
      if (info.crd === crdName) {
        this.byGVK.delete(key);
        found = info;
      }
    }
    if (found && this.byKind.get(found.kind) === found) this.byKind.delete(found.kind);
    return found;
  }
}
