/**
 * PodSpec validation: the parts of ValidatePodSpec / validateContainers in
 * pkg/apis/core/validation/validation.go that students run into.
 */
import type { Container, PodSpec } from '../types.ts';
import { type FieldError, Path, duplicate, forbidden, invalid, notFound, notSupported, required } from './field.ts';
import { isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isValidIP, isValidPortName, isValidPortNum } from './names.ts';
import { validateLabels, validateNonnegative, validateTemplateMeta } from './meta.ts';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'] as const;
export const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] as const;
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;

export function validatePodSpec(spec: PodSpec | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  const s = (spec ?? {}) as PodSpec & Record<string, any>;
  const volumeNames = new Set<string>();
  (s.volumes ?? []).forEach((v, i) => {
    const p = path.child('volumes').index(i);
    if (!v.name) errs.push(required(p.child('name').text));
    else {
      for (const m of isDNS1123Label(v.name)) errs.push(invalid(p.child('name').text, v.name, m));
      if (volumeNames.has(v.name)) errs.push(duplicate(p.child('name').text, v.name));
      volumeNames.add(v.name);
    }
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length === 0) errs.push(required(p.text, 'must specify a volume type'));
    else if (sources.length > 1) errs.push(forbidden(p.child(sources[1]!).text, 'may not specify more than 1 volume type'));
  });

  const names = new Set<string>();
  const checkContainers = (list: Container[] | undefined, field: string): void => {
    (list ?? []).forEach((c, i) => errs.push(...validateContainer(c, path.child(field).index(i), names, volumeNames)));
  };
  checkContainers(s.initContainers, 'initContainers');
  if (!s.containers || s.containers.length === 0) errs.push(required(path.child('containers').text));
  else checkContainers(s.containers, 'containers');

  if (s.restartPolicy === undefined || s.restartPolicy === ('' as string)) errs.push(required(path.child('restartPolicy').text));
  else if (!(RESTART_POLICIES as readonly string[]).includes(s.restartPolicy)) errs.push(notSupported(path.child('restartPolicy').text, s.restartPolicy, RESTART_POLICIES));

  if (s.dnsPolicy !== undefined && !(DNS_POLICIES as readonly string[]).includes(s.dnsPolicy)) {
    errs.push(notSupported(path.child('dnsPolicy').text, s.dnsPolicy, DNS_POLICIES));
  }
  if (s.dnsPolicy === 'None' && !s.dnsConfig) errs.push(required(path.child('dnsConfig').text, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  if (s.dnsConfig) {
    const ns = s.dnsConfig.nameservers ?? [];
    if (s.dnsPolicy === 'None' && ns.length === 0) errs.push(required(path.child('dnsConfig', 'nameservers').text, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
    if (ns.length > 3) errs.push(invalid(path.child('dnsConfig', 'nameservers').text, ns, 'must not have more than 3 nameservers'));
    ns.forEach((ip, i) => {
      for (const m of isValidIP(ip)) errs.push(invalid(path.child('dnsConfig', 'nameservers').index(i).text, ip, m));
    });
    if ((s.dnsConfig.searches ?? []).length > 32) errs.push(invalid(path.child('dnsConfig', 'searches').text, s.dnsConfig.searches, 'must not have more than 32 search paths'));
  }
  (s.hostAliases ?? []).forEach((h, i) => {
    for (const m of isValidIP(String(h.ip ?? ''))) errs.push(invalid(path.child('hostAliases').index(i).child('ip').text, h.ip, m));
  });
  errs.push(...validateLabels(s.nodeSelector, path.child('nodeSelector')));
  errs.push(...validateNonnegative(s.terminationGracePeriodSeconds, path.child('terminationGracePeriodSeconds')));
  if (s.hostname) for (const m of isDNS1123Label(s.hostname)) errs.push(invalid(path.child('hostname').text, s.hostname, m));
  if (s.subdomain) for (const m of isDNS1123Label(s.subdomain)) errs.push(invalid(path.child('subdomain').text, s.subdomain, m));
  if (s.serviceAccountName) for (const m of isDNS1123Subdomain(s.serviceAccountName)) errs.push(invalid(path.child('serviceAccountName').text, s.serviceAccountName, m));
  if (s.nodeName) for (const m of isDNS1123Subdomain(s.nodeName)) errs.push(invalid(path.child('nodeName').text, s.nodeName, m));
  (s.tolerations ?? []).forEach((t, i) => {
    const p = path.child('tolerations').index(i);
    if (t.operator === 'Exists' && t.value) errs.push(invalid(p.child('operator').text, t.value, "value must be empty when `operator` is 'Exists'"));
    if (t.operator !== undefined && t.operator !== 'Exists' && t.operator !== 'Equal') errs.push(notSupported(p.child('operator').text, t.operator, ['Equal', 'Exists']));
    if (t.effect !== undefined && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      errs.push(notSupported(p.child('effect').text, t.effect, ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
    }
  });
  return errs;
}

function validateContainer(c: Container, path: Path, names: Set<string>, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(path.child('name').text));
  else {
    for (const m of isDNS1123Label(c.name)) errs.push(invalid(path.child('name').text, c.name, m));
    if (names.has(c.name)) errs.push(duplicate(path.child('name').text, c.name));
    names.add(c.name);
  }
  if (!c.image) errs.push(required(path.child('image').text));
  const cc = c as Container & { imagePullPolicy?: string };
  if (cc.imagePullPolicy !== undefined && !(PULL_POLICIES as readonly string[]).includes(cc.imagePullPolicy)) {
    errs.push(notSupported(path.child('imagePullPolicy').text, cc.imagePullPolicy, PULL_POLICIES));
  }
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((p, i) => {
    const pp = path.child('ports').index(i);
    if (p.name) {
      for (const m of isValidPortName(p.name)) errs.push(invalid(pp.child('name').text, p.name, m));
      if (portNames.has(p.name)) errs.push(duplicate(pp.child('name').text, p.name));
      portNames.add(p.name);
    }
    if (!p.containerPort) errs.push(required(pp.child('containerPort').text));
    else for (const m of isValidPortNum(p.containerPort)) errs.push(invalid(pp.child('containerPort').text, p.containerPort, m));
    if (p.hostPort) for (const m of isValidPortNum(p.hostPort)) errs.push(invalid(pp.child('hostPort').text, p.hostPort, m));
    if (!p.protocol) errs.push(required(pp.child('protocol').text));
    else if (!(PROTOCOLS as readonly string[]).includes(p.protocol)) errs.push(notSupported(pp.child('protocol').text, p.protocol, PROTOCOLS));
  });
  (c.env ?? []).forEach((e, i) => {
    const ep = path.child('env').index(i);
    if (!e.name) errs.push(required(ep.child('name').text));
    else for (const m of isEnvVarName(e.name)) errs.push(invalid(ep.child('name').text, e.name, m));
    if (e.valueFrom) {
      const sources = Object.keys(e.valueFrom).length;
      if (e.value) errs.push(invalid(ep.child('valueFrom').text, '', 'may not be specified when `value` is not empty'));
      if (sources === 0) errs.push(invalid(ep.child('valueFrom').text, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
      else if (sources > 1) errs.push(invalid(ep.child('valueFrom').text, '', 'may not have more than one field specified at a time'));
      const ref = e.valueFrom.configMapKeyRef ?? e.valueFrom.secretKeyRef;
      const refField = e.valueFrom.configMapKeyRef ? 'configMapKeyRef' : 'secretKeyRef';
      if (ref) {
        if (!ref.key) errs.push(required(ep.child('valueFrom', refField, 'key').text));
        if (!ref.name) errs.push(required(ep.child('valueFrom', refField, 'name').text));
      }
    }
  });
  const mountPaths = new Set<string>();
  (c.volumeMounts ?? []).forEach((m, i) => {
    const mp = path.child('volumeMounts').index(i);
    if (!m.name) errs.push(required(mp.child('name').text));
    else if (!volumes.has(m.name)) errs.push(notFound(mp.child('name').text, m.name));
    if (!m.mountPath) errs.push(required(mp.child('mountPath').text));
    else {
      if (mountPaths.has(m.mountPath)) errs.push(invalid(mp.child('mountPath').text, m.mountPath, 'must be unique'));
      mountPaths.add(m.mountPath);
    }
  });
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const pr = c[probe];
    if (!pr) continue;
    const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => (pr as Record<string, unknown>)[h] !== undefined);
    if (handlers.length === 0) errs.push(required(path.child(probe).text, 'must specify a handler type'));
    else if (handlers.length > 1) errs.push(forbidden(path.child(probe, handlers[1]!).text, 'may not specify more than 1 handler type'));
    const port = pr.httpGet?.port ?? pr.tcpSocket?.port;
    const portPath = path.child(probe, pr.httpGet ? 'httpGet' : 'tcpSocket', 'port').text;
    if (port !== undefined) {
      if (typeof port === 'number') for (const m of isValidPortNum(port)) errs.push(invalid(portPath, port, m));
      else for (const m of isValidPortName(port)) errs.push(invalid(portPath, port, m));
    }
    if (probe !== 'readinessProbe' && pr.successThreshold !== undefined && pr.successThreshold !== 1) {
      errs.push(invalid(path.child(probe, 'successThreshold').text, pr.successThreshold, 'must be 1'));
    }
  }
  return errs;
}

/** ValidatePodTemplateSpec: template labels and annotations, then the pod spec. */
export function validatePodTemplateSpec(tpl: { metadata?: any; spec?: PodSpec } | undefined, path: Path): FieldError[] {
  if (!tpl) return [required(path.text)];
  return [...validateTemplateMeta(tpl.metadata, path.child('metadata')), ...validatePodSpec(tpl.spec, path.child('spec'))];
}
