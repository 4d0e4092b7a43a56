/**
 * Kinds with little API-side behaviour: Namespaces, Nodes, EndpointSlices,
 * CustomResourceDefinitions, and the generic strategy for every other served kind
 * (metadata validation only, as a stored-but-unmodelled object needs).
 */
import { type FieldError, invalid, notSupported, required } from '../validation/field.ts';
import { isValidIP, nameIsDNSLabel, nameIsDNSSubdomain, nameIsPathSegment } from '../validation/names.ts';
import type { Strategy } from './strategy.ts';

/** kubernetes.io/metadata.name: set (and kept) on every Namespace since 1.22. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const namespaceStrategy: Strategy = {
  nameValidator: nameIsDNSLabel,
  tracksGeneration: false,
  statusSubresource: true,
  defaults(obj) {
    obj.spec ??= {};
    obj.spec.finalizers ??= ['kubernetes'];
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [NAMESPACE_NAME_LABEL]: obj.metadata.name };
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Active' };
  },
  validate: () => [],
};

export const nodeStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: false,
  statusSubresource: true,
  validate: () => [],
};

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'] as const;
export const endpointSliceStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: true,
  statusSubresource: false,
  defaults(obj) {
    for (const p of obj.ports ?? []) if (p && typeof p === 'object') p.protocol ??= 'TCP';
  },
  validate(obj) {
    const errs: FieldError[] = [];
    if (!obj.addressType) errs.push(required('addressType'));
    else if (!(ADDRESS_TYPES as readonly string[]).includes(obj.addressType)) errs.push(notSupported('addressType', obj.addressType, ADDRESS_TYPES));
    (obj.endpoints ?? []).forEach((e: any, i: number) => {
      const addrs: string[] = e?.addresses ?? [];
      if (addrs.length !== 1) errs.push(invalid(`endpoints[${i}].addresses`, addrs, 'must contain exactly 1 address'));
      if (obj.addressType === 'IPv4' || obj.addressType === 'IPv6') {
        addrs.forEach((a, j) => {
          for (const m of isValidIP(a)) errs.push(invalid(`endpoints[${i}].addresses[${j}]`, a, m));
        });
      }
    });
    return errs;
  },
};

export const crdStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: true,
  statusSubresource: true,
  validate(obj) {
    const s = obj.spec ?? {};
    const errs: FieldError[] = [];
    if (!s.group) errs.push(required('spec.group'));
    if (!s.names?.plural) errs.push(required('spec.names.plural'));
    if (!s.names?.kind) errs.push(required('spec.names.kind'));
    if (s.scope !== 'Namespaced' && s.scope !== 'Cluster') errs.push(notSupported('spec.scope', s.scope ?? '', ['Cluster', 'Namespaced']));
    if (s.group && s.names?.plural && obj.metadata.name !== `${s.names.plural}.${s.group}`) {
      errs.push(invalid('metadata.name', obj.metadata.name, 'must be spec.names.plural+"."+spec.group'));
    }
    const versions: any[] = s.versions ?? [];
    if (versions.length === 0) errs.push(required('spec.versions', 'must have exactly one version marked as storage version'));
    else if (versions.filter((v) => v?.storage === true).length !== 1) {
      errs.push(invalid('spec.versions', versions.map((v) => v?.name), 'must have exactly one version marked as storage version'));
    }
    return errs;
  },
};

/** RBAC objects take any path-segment name (`system:controller:x` is valid). */
const PATH_SEGMENT_KINDS = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);
/** Kinds whose upstream strategies keep metadata.generation. */
const GENERATION_KINDS = new Set(['Job', 'CronJob', 'PodDisruptionBudget', 'NetworkPolicy', 'HorizontalPodAutoscaler', 'PriorityClass']);

const genericCache = new Map<string, Strategy>();
export function genericStrategy(kind: string, custom: boolean): Strategy {
  const key = `${kind}/${custom}`;
  let s = genericCache.get(key);
  if (!s) {
    s = {
      nameValidator: PATH_SEGMENT_KINDS.has(kind) || custom ? (custom ? nameIsDNSSubdomain : nameIsPathSegment) : nameIsDNSSubdomain,
      tracksGeneration: custom || GENERATION_KINDS.has(kind),
      statusSubresource: !custom,
      validate: () => [],
    };
    genericCache.set(key, s);
  }
  return s;
}
