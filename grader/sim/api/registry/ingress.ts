/**
 * networking.k8s.io/v1 Ingress and IngressClass (pkg/apis/networking/validation/validation.go).
 * In v1, pathType has no default: a path without it is refused ("pathType must be specified").
 */
import type { IngressBackend, KubeObject } from '../types.ts';
import { type FieldError, invalid, notSupported, required } from '../validation/field.ts';
import { isDNS1123Subdomain, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain, nameIsDNS1035Label, nameIsDNSSubdomain } from '../validation/names.ts';
import { isIP } from 'node:net';
import type { Strategy } from './strategy.ts';

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'] as const;
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];

function validateBackend(b: IngressBackend | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const hasResource = b?.resource !== undefined && b?.resource !== null;
  const hasService = b?.service !== undefined && b?.service !== null;
  if (hasResource && hasService) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    const r = b!.resource!;
    if (!r.kind) errs.push(required(`${path}.resource.kind`));
    if (!r.name) errs.push(required(`${path}.resource.name`));
    if (r.apiGroup) for (const m of isDNS1123Subdomain(r.apiGroup)) errs.push(invalid(`${path}.resource.apiGroup`, r.apiGroup, m));
    return errs;
  }
  if (hasService) {
    const s = b!.service!;
    if (!s.name) errs.push(required(`${path}.service.name`));
    else for (const m of nameIsDNS1035Label(s.name, false)) errs.push(invalid(`${path}.service.name`, s.name, m));
    const portName = s.port?.name ?? '';
    const portNumber = s.port?.number ?? 0;
    if (portName && portNumber) errs.push(invalid(path, '', 'cannot set both port name & port number'));
    else if (portName) for (const m of isValidPortName(portName)) errs.push(invalid(`${path}.service.port.name`, portName, m));
    else if (portNumber) for (const m of isValidPortNum(portNumber)) errs.push(invalid(`${path}.service.port.number`, portNumber, m));
    else errs.push(required(path, 'port name or number is required'));
    return errs;
  }
  return [invalid(path, '', 'resource or service backend is required')];
}

function hostErrors(host: string, path: string): FieldError[] {
  const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  return msgs.map((m) => invalid(path, host, m));
}

export function validateIngressSpec(obj: KubeObject): FieldError[] {
  const spec = obj.spec ?? {};
  const errs: FieldError[] = [];
  const rules = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend) errs.push(invalid('spec', null, 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r: any, i: number) => {
    const rp = `spec.rules[${i}]`;
    if (r.host) {
      if (isIP(r.host)) errs.push(invalid(`${rp}.host`, r.host, 'must be a DNS name, not an IP address'));
      errs.push(...hostErrors(r.host, `${rp}.host`));
    }
    if (r.http) {
      const paths = r.http.paths ?? [];
      if (paths.length === 0) errs.push(required(`${rp}.http.paths`));
      paths.forEach((p: any, j: number) => {
        const pp = `${rp}.http.paths[${j}]`;
        if (p.pathType === undefined || p.pathType === null) {
          errs.push(required(`${pp}.pathType`, 'pathType must be specified'));
          return;
        }
        const path = String(p.path ?? '');
        if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
          if (!path.startsWith('/')) errs.push(invalid(`${pp}.path`, path, 'must be an absolute path'));
          if (path.length > 0) {
            for (const seq of INVALID_PATH_SEQUENCES) if (path.includes(seq)) errs.push(invalid(`${pp}.path`, path, `must not contain '${seq}'`));
            for (const suf of INVALID_PATH_SUFFIXES) if (path.endsWith(suf)) errs.push(invalid(`${pp}.path`, path, `cannot end with '${suf}'`));
          }
        } else if (p.pathType === 'ImplementationSpecific') {
          if (path.length > 0 && !path.startsWith('/')) errs.push(invalid(`${pp}.path`, path, 'must be an absolute path'));
        } else {
          errs.push(notSupported(`${pp}.pathType`, p.pathType, PATH_TYPES));
        }
        errs.push(...validateBackend(p.backend, `${pp}.backend`));
      });
    }
  });
  (spec.tls ?? []).forEach((t: any, i: number) => {
    (t.hosts ?? []).forEach((h: string, j: number) => errs.push(...hostErrors(h, `spec.tls[${i}].hosts[${j}]`)));
    if (t.secretName) for (const m of isDNS1123Subdomain(t.secretName)) errs.push(invalid(`spec.tls[${i}].secretName`, t.secretName, m));
  });
  if (spec.ingressClassName !== undefined) {
    for (const m of isDNS1123Subdomain(String(spec.ingressClassName))) errs.push(invalid('spec.ingressClassName', spec.ingressClassName, m));
  }
  return errs;
}

export const ingressStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: true,
  statusSubresource: true,
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  validate: validateIngressSpec,
};

/** An IngressClass controller is a domain-prefixed path such as `k8s.io/ingress-nginx`. */
function controllerErrors(c: unknown): FieldError[] {
  if (!c) return [required('spec.controller')];
  const s = String(c);
  const slash = s.indexOf('/');
  if (slash <= 0 || isDNS1123Subdomain(s.slice(0, slash)).length > 0) {
    return [invalid('spec.controller', s, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  if (s.length > 250) return [invalid('spec.controller', s, 'must be no more than 250 characters')];
  return [];
}

export const ingressClassStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: false,
  statusSubresource: false,
  validate(obj) {
    const errs = controllerErrors(obj.spec?.controller);
    const params = obj.spec?.parameters;
    if (params) {
      if (!params.kind) errs.push(required('spec.parameters.kind'));
      if (!params.name) errs.push(required('spec.parameters.name'));
      if (params.scope !== undefined && params.scope !== 'Cluster' && params.scope !== 'Namespace') errs.push(notSupported('spec.parameters.scope', params.scope, ['Cluster', 'Namespace']));
    }
    return errs;
  },
  validateUpdate(obj, old, ctx) {
    const errs = ingressClassStrategy.validate(obj, ctx);
    if (obj.spec?.controller !== old.spec?.controller) errs.push(invalid('spec.controller', obj.spec?.controller, 'field is immutable'));
    return errs;
  },
};
