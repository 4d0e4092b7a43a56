/**
 * Services: defaulting (pkg/apis/core/v1/defaults.go SetDefaults_Service), IP and port
 * allocation (pkg/registry/core/service/storage/alloc.go: allocateCreate/allocateUpdate,
 * patchAllocatedValues, normalizeClusterIPs), type-change cleanup (strategy.go
 * dropTypeDependentFields) and validation (pkg/apis/core/validation/validation.go
 * ValidateService, ValidateServiceUpdate).
 */
import type { KubeObject, ObjectMeta, ServicePort, ServiceSpec } from '../types.ts';
import { type FieldError, Path, GoLiteral, duplicate, forbidden, goStringSlice, invalid, invalidError, notSupported, required } from '../validation/field.ts';
import { isDNS1123Label, isDNS1123Subdomain, isValidIP, isValidPortName, isValidPortNum, nameIsDNS1035Label } from '../validation/names.ts';
import { validateLabels } from '../validation/meta.ts';
import { deepEqual } from '../apply/merge.ts';
import type { Strategy, StrategyContext, Transaction } from './strategy.ts';

interface Svc {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: ServiceSpec & { [k: string]: unknown };
  status?: any;
}
const asSvc = (o: KubeObject): Svc => o as unknown as Svc;

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
const AFFINITIES = ['ClientIP', 'None'] as const;
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
const TRAFFIC_POLICIES = ['Cluster', 'Local'] as const;
/** core.MaxClientIPServiceAffinitySeconds */
const MAX_AFFINITY_SECONDS = 86400;
const DEFAULT_AFFINITY_SECONDS = 10800;
/** ports.KubeletPort: a LoadBalancer may not expose it. */
const KUBELET_PORT = 10250;

const isHeadless = (s: Svc): boolean => s.spec.clusterIP === 'None' || s.spec.clusterIPs?.[0] === 'None';
const needsClusterIP = (s: Svc): boolean => s.spec.type !== 'ExternalName';
export const needsNodePort = (s: Svc): boolean =>
  s.spec.type === 'NodePort' || (s.spec.type === 'LoadBalancer' && s.spec.allocateLoadBalancerNodePorts !== false);
const externallyAccessible = (s: Svc): boolean =>
  s.spec.type === 'LoadBalancer' || s.spec.type === 'NodePort' || (s.spec.type === 'ClusterIP' && (s.spec.externalIPs ?? []).length > 0);
const needsHealthCheck = (s: Svc): boolean => s.spec.type === 'LoadBalancer' && s.spec.externalTrafficPolicy === 'Local';
const sameClusterIPs = (a: Svc, b: Svc): boolean => deepEqual(a.spec.clusterIPs ?? [], b.spec.clusterIPs ?? []);
const nodePortsOf = (s: Svc): number[] => (s.spec.ports ?? []).map((p) => p.nodePort).filter((n): n is number => typeof n === 'number' && n !== 0);

function defaults(obj: KubeObject): void {
  const svc = asSvc(obj);
  svc.spec ??= {};
  const s = svc.spec;
  s.type ??= 'ClusterIP';
  s.sessionAffinity ??= 'None';
  if (s.sessionAffinity === 'ClientIP') {
    s.sessionAffinityConfig ??= {};
    s.sessionAffinityConfig.clientIP ??= {};
    s.sessionAffinityConfig.clientIP.timeoutSeconds ??= DEFAULT_AFFINITY_SECONDS;
  }
  for (const p of s.ports ?? []) {
    if (!p || typeof p !== 'object') continue;
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (externallyAccessible(svc)) s.externalTrafficPolicy ??= 'Cluster';
  if (s.type !== 'ExternalName') s.internalTrafficPolicy ??= 'Cluster';
  if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true;
}

/** Keeps clusterIP and clusterIPs[0] in step, guessing which one the user meant to change. */
function normalizeClusterIPs(svc: Svc, old?: Svc): void {
  const s = svc.spec;
  if (old && s.clusterIP === old.spec.clusterIP && sameClusterIPs(svc, old)) return;
  if (old && old.spec.clusterIP && !s.clusterIP) {
    if (sameClusterIPs(svc, old)) delete s.clusterIPs;
    return;
  }
  if (s.clusterIP) {
    if (!s.clusterIPs || s.clusterIPs.length === 0) s.clusterIPs = [s.clusterIP];
    else if (old && sameClusterIPs(svc, old)) s.clusterIPs = [s.clusterIP, ...s.clusterIPs.slice(1)];
  } else if (s.clusterIPs?.length) {
    s.clusterIP = s.clusterIPs[0];
  }
}

/** A client that omits allocated values on update (PUT of an old manifest) keeps them. */
function patchAllocatedValues(svc: Svc, old: Svc): void {
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!svc.spec.clusterIP) svc.spec.clusterIP = old.spec.clusterIP;
    if ((!svc.spec.clusterIPs || svc.spec.clusterIPs.length === 0) && old.spec.clusterIPs?.length) svc.spec.clusterIPs = [...old.spec.clusterIPs];
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const oldUsed = new Set(nodePortsOf(old));
    const used = new Set(nodePortsOf(svc).filter((p) => oldUsed.has(p)));
    const byName = new Map<string, number>();
    for (const p of old.spec.ports ?? []) byName.set(p.name ?? '', p.nodePort ?? 0);
    for (const p of svc.spec.ports ?? []) {
      if (!p.nodePort) {
        const v = byName.get(p.name ?? '');
        if (v && !used.has(v)) p.nodePort = v;
      }
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(svc) && !svc.spec.healthCheckNodePort) {
    svc.spec.healthCheckNodePort = old.spec.healthCheckNodePort;
  }
}

function dropTypeDependentFields(svc: Svc, old: Svc): void {
  const s = svc.spec;
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (sameClusterIPs(old, svc)) {
      delete s.clusterIP;
      delete s.clusterIPs;
    }
    if (deepEqual(old.spec.ipFamilies, s.ipFamilies)) delete s.ipFamilies;
    if (old.spec.ipFamilyPolicy === s.ipFamilyPolicy) delete s.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(svc) && deepEqual(nodePortsOf(old), nodePortsOf(svc))) {
    for (const p of s.ports ?? []) delete p.nodePort;
  }
  if (needsHealthCheck(old) && !needsHealthCheck(svc) && old.spec.healthCheckNodePort === s.healthCheckNodePort) delete s.healthCheckNodePort;
  if (old.spec.type === 'LoadBalancer' && s.type !== 'LoadBalancer' && s.allocateLoadBalancerNodePorts === old.spec.allocateLoadBalancerNodePorts) {
    delete s.allocateLoadBalancerNodePorts;
  }
  if (externallyAccessible(old) && !externallyAccessible(svc) && s.externalTrafficPolicy === old.spec.externalTrafficPolicy) delete s.externalTrafficPolicy;
  if (s.type !== 'LoadBalancer') svc.status = { ...(svc.status ?? {}), loadBalancer: {} };
}

/** Allocations of one create/update, undone if validation fails. Releases wait for commit. */
class AllocTxn implements Transaction {
  ips: string[] = [];
  ports: number[] = [];
  releaseIPs: string[] = [];
  releasePorts: number[] = [];
  constructor(private readonly ctx: StrategyContext) {}
  commit(): void {
    for (const ip of this.releaseIPs) this.ctx.clusterIPs.release(ip);
    for (const p of this.releasePorts) this.ctx.nodePorts.release(p);
  }
  revert(): void {
    for (const ip of this.ips) this.ctx.clusterIPs.release(ip);
    for (const p of this.ports) this.ctx.nodePorts.release(p);
  }
}

function fail(svc: Svc, txn: AllocTxn, errs: FieldError[]): never {
  txn.revert();
  throw invalidError('Service', svc.metadata.name, errs);
}

function allocateClusterIP(svc: Svc, txn: AllocTxn, ctx: StrategyContext): void {
  const s = svc.spec;
  const requested = s.clusterIPs?.[0] ?? s.clusterIP;
  if (requested === 'None') return;
  if (requested) {
    if (isValidIP(requested).length) return; // malformed: validation reports it
    const r = ctx.clusterIPs.allocate(requested);
    if (!r.ok) fail(svc, txn, [invalid('spec.clusterIPs', new GoLiteral(goStringSlice(s.clusterIPs ?? [requested])), `failed to allocate IP ${requested}: ${r.message}`)]);
    txn.ips.push(requested);
    s.clusterIP = requested;
    s.clusterIPs = [requested];
    return;
  }
  const ip = ctx.clusterIPs.allocateNext();
  if (!ip) fail(svc, txn, [invalid('spec.clusterIPs', new GoLiteral('[]string(nil)'), 'failed to allocate a serviceIP: range is full')]);
  txn.ips.push(ip);
  s.clusterIP = ip;
  s.clusterIPs = [ip];
}

/** nodePorts for every port; `keep` are ports this Service already holds (update). */
function allocateNodePorts(svc: Svc, txn: AllocTxn, ctx: StrategyContext, keep: Set<number>): void {
  const ports = svc.spec.ports ?? [];
  const mine = new Set<number>(); // one nodePort may serve TCP and UDP of the same port
  ports.forEach((p, i) => {
    if (typeof p.nodePort !== 'number' || p.nodePort === 0) return;
    if (keep.has(p.nodePort) || mine.has(p.nodePort)) {
      mine.add(p.nodePort);
      return;
    }
    const r = ctx.nodePorts.allocate(p.nodePort);
    if (!r.ok) fail(svc, txn, [invalid(`spec.ports[${i}].nodePort`, p.nodePort, r.message)]);
    txn.ports.push(p.nodePort);
    mine.add(p.nodePort);
  });
  for (const p of ports) {
    if (p && typeof p === 'object' && (p.nodePort === undefined || p.nodePort === 0)) {
      const n = ctx.nodePorts.allocateNext();
      if (n === undefined) fail(svc, txn, [invalid('spec.ports', new GoLiteral('[]core.ServicePort{...}'), 'failed to allocate a nodePort: range is full')]);
      txn.ports.push(n);
      p.nodePort = n;
    }
  }
}

function allocateHealthCheck(svc: Svc, txn: AllocTxn, ctx: StrategyContext, keep?: number): void {
  const s = svc.spec;
  if (s.healthCheckNodePort && s.healthCheckNodePort === keep) return;
  if (s.healthCheckNodePort) {
    const r = ctx.nodePorts.allocate(s.healthCheckNodePort);
    if (!r.ok) fail(svc, txn, [invalid('spec.healthCheckNodePort', s.healthCheckNodePort, r.message)]);
    txn.ports.push(s.healthCheckNodePort);
    return;
  }
  const n = ctx.nodePorts.allocateNext();
  if (n === undefined) fail(svc, txn, [invalid('spec.healthCheckNodePort', 0, 'failed to allocate a nodePort: range is full')]);
  txn.ports.push(n);
  s.healthCheckNodePort = n;
}

function initIPFamilies(svc: Svc): void {
  if (svc.spec.type === 'ExternalName') return;
  svc.spec.ipFamilies ??= ['IPv4'];
  svc.spec.ipFamilyPolicy ??= 'SingleStack';
}

/** `core.ServicePort{…}` as %#v prints the (protocol, port) key of a duplicate. */
function goServicePortKey(p: ServicePort): GoLiteral {
  return new GoLiteral(
    `core.ServicePort{Name:"", Protocol:${JSON.stringify(p.protocol ?? '')}, AppProtocol:(*string)(nil), Port:${p.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );
}

function validatePort(p: ServicePort, requireName: boolean, names: Set<string>, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(required(path.child('name').text));
  else if (p.name) {
    for (const m of isDNS1123Label(p.name)) errs.push(invalid(path.child('name').text, p.name, m));
    if (names.has(p.name)) errs.push(duplicate(path.child('name').text, p.name));
    else names.add(p.name);
  }
  for (const m of isValidPortNum(p.port)) errs.push(invalid(path.child('port').text, p.port ?? 0, m));
  if (!p.protocol) errs.push(required(path.child('protocol').text));
  else if (!(PROTOCOLS as readonly string[]).includes(p.protocol)) errs.push(notSupported(path.child('protocol').text, p.protocol, PROTOCOLS));
  const tp = p.targetPort;
  if (typeof tp === 'number') for (const m of isValidPortNum(tp)) errs.push(invalid(path.child('targetPort').text, tp, m));
  else if (typeof tp === 'string') for (const m of isValidPortName(tp)) errs.push(invalid(path.child('targetPort').text, tp, m));
  if (p.appProtocol !== undefined && !/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9](\/([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(p.appProtocol)) {
    errs.push(invalid(path.child('appProtocol').text, p.appProtocol, "must be a qualified name (e.g. 'kubernetes.io/h2c')"));
  }
  return errs;
}

export function validateService(svc: Svc): FieldError[] {
  const s = svc.spec ?? {};
  const errs: FieldError[] = [];
  const headless = isHeadless(svc);
  const ports = s.ports ?? [];
  if (ports.length === 0 && !headless && s.type !== 'ExternalName') errs.push(required('spec.ports'));
  switch (s.type) {
    case 'LoadBalancer':
      if (headless) errs.push(invalid('spec.clusterIPs[0]', s.clusterIPs?.[0] ?? 'None', "may not be set to 'None' for LoadBalancer services"));
      ports.forEach((p, i) => {
        if (p.port === KUBELET_PORT) errs.push(invalid(`spec.ports[${i}]`, p.port, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`));
      });
      break;
    case 'NodePort':
      if (headless) errs.push(invalid('spec.clusterIPs[0]', s.clusterIPs?.[0] ?? 'None', "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if ((s.clusterIPs ?? []).length > 0) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if ((s.ipFamilies ?? []).length > 0) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (s.ipFamilyPolicy !== undefined) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const cname = (s.externalName ?? '').replace(/\.$/, '');
      if (cname) for (const m of isDNS1123Subdomain(cname)) errs.push(invalid('spec.externalName', cname, m));
      else errs.push(required('spec.externalName'));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validatePort(p, ports.length > 1, names, new Path('spec.ports').index(i))));
  if (s.selector) errs.push(...validateLabels(s.selector, new Path('spec.selector')));

  if (!s.sessionAffinity) errs.push(required('spec.sessionAffinity'));
  else if (!(AFFINITIES as readonly string[]).includes(s.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', s.sessionAffinity, AFFINITIES));
  if (s.sessionAffinity === 'ClientIP') {
    const cfg = s.sessionAffinityConfig;
    const why = 'when session affinity type is ClientIP';
    if (!cfg) errs.push(required('spec.sessionAffinityConfig', why));
    else if (!cfg.clientIP) errs.push(required('spec.sessionAffinityConfig.clientIP', why));
    else if (cfg.clientIP.timeoutSeconds === undefined) errs.push(required('spec.sessionAffinityConfig.clientIP.timeoutSeconds', why));
    else if (cfg.clientIP.timeoutSeconds <= 0 || cfg.clientIP.timeoutSeconds > MAX_AFFINITY_SECONDS) {
      errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', cfg.clientIP.timeoutSeconds, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`));
    }
  } else if (s.sessionAffinity === 'None' && s.sessionAffinityConfig) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }

  if (s.type !== 'ExternalName') {
    if (s.clusterIP && (!s.clusterIPs?.length || s.clusterIPs[0] !== s.clusterIP)) {
      errs.push(invalid('spec.clusterIPs', new GoLiteral(goStringSlice(s.clusterIPs)), 'first value must match `clusterIP`'));
    }
    (s.clusterIPs ?? []).forEach((ip: string, i: number) => {
      if (i === 0 && ip === 'None') {
        if ((s.clusterIPs ?? []).length > 1) errs.push(invalid('spec.clusterIPs', new GoLiteral(goStringSlice(s.clusterIPs)), "'None' must be the first and only value"));
        return;
      }
      for (const m of isValidIP(ip)) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, m));
    });
  }
  (s.externalIPs ?? []).forEach((ip: string, i: number) => {
    for (const m of isValidIP(ip)) errs.push(invalid(`spec.externalIPs[${i}]`, ip, m));
  });

  if (!s.type) errs.push(required('spec.type'));
  else if (!(SERVICE_TYPES as readonly string[]).includes(s.type)) errs.push(notSupported('spec.type', s.type, SERVICE_TYPES));
  if (s.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const seenNodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (seenNodePorts.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    seenNodePorts.add(key);
  });
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (seenPorts.has(key)) errs.push(duplicate(`spec.ports[${i}]`, goServicePortKey(p)));
    seenPorts.add(key);
  });

  if (!externallyAccessible(svc)) {
    if (s.externalTrafficPolicy) errs.push(invalid('spec.externalTrafficPolicy', s.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!s.externalTrafficPolicy) {
    errs.push(required('spec.externalTrafficPolicy'));
  } else if (!(TRAFFIC_POLICIES as readonly string[]).includes(s.externalTrafficPolicy)) {
    errs.push(notSupported('spec.externalTrafficPolicy', s.externalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (!needsHealthCheck(svc)) {
    if (s.healthCheckNodePort) errs.push(invalid('spec.healthCheckNodePort', s.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (!s.healthCheckNodePort) {
    errs.push(required('spec.healthCheckNodePort'));
  }
  if (s.internalTrafficPolicy === undefined) {
    if (s.type === 'NodePort' || s.type === 'LoadBalancer' || s.type === 'ClusterIP') errs.push(required('spec.internalTrafficPolicy'));
  } else if (!(TRAFFIC_POLICIES as readonly string[]).includes(s.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', s.internalTrafficPolicy, TRAFFIC_POLICIES));
  }
  if (s.allocateLoadBalancerNodePorts !== undefined && s.type !== 'LoadBalancer') {
    errs.push(forbidden('spec.allocateLoadBalancerNodePorts', 'may only be used when `type` is \'LoadBalancer\''));
  }
  return errs;
}

/** validateUpgradeDowngradeClusterIPs: the primary ClusterIP never changes once set. */
function validateClusterIPUpdate(svc: Svc, old: Svc): FieldError[] {
  if (svc.spec.type === 'ExternalName' || old.spec.type === 'ExternalName') return [];
  if (isHeadless(svc) && isHeadless(old)) return [];
  const o = old.spec.clusterIPs ?? [];
  const n = svc.spec.clusterIPs ?? [];
  const shown = new GoLiteral(goStringSlice(svc.spec.clusterIPs));
  if (o.length === n.length) {
    return o.flatMap((ip, i) => (ip !== n[i] ? [invalid(`spec.clusterIPs[${i}]`, shown, 'may not change once set')] : []));
  }
  if (o.length > n.length && n.length === 0) return [invalid('spec.clusterIPs[0]', shown, 'primary clusterIP can not be unset')];
  if (n.length > 0 && o.length > 0 && n[0] !== o[0]) return [invalid('spec.clusterIPs[0]', shown, 'may not change once set')];
  return [];
}

export const serviceStrategy: Strategy = {
  nameValidator: nameIsDNS1035Label,
  tracksGeneration: false,
  statusSubresource: true,
  defaults,
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  beginCreate(obj, ctx) {
    const svc = asSvc(obj);
    normalizeClusterIPs(svc);
    const txn = new AllocTxn(ctx);
    if (needsClusterIP(svc)) allocateClusterIP(svc, txn, ctx);
    initIPFamilies(svc);
    if (needsNodePort(svc)) allocateNodePorts(svc, txn, ctx, new Set());
    if (needsHealthCheck(svc)) allocateHealthCheck(svc, txn, ctx);
    return txn;
  },
  beginUpdate(obj, oldObj, ctx) {
    const svc = asSvc(obj);
    const old = asSvc(oldObj);
    patchAllocatedValues(svc, old);
    normalizeClusterIPs(svc, old);
    dropTypeDependentFields(svc, old);
    const txn = new AllocTxn(ctx);
    const oldIP = needsClusterIP(old) && !isHeadless(old) ? old.spec.clusterIPs?.[0] : undefined;
    if (old.spec.type === 'ExternalName' && needsClusterIP(svc)) allocateClusterIP(svc, txn, ctx);
    if (!needsClusterIP(svc) && oldIP) txn.releaseIPs.push(oldIP);
    initIPFamilies(svc);
    const oldPorts = new Set(needsNodePort(old) ? nodePortsOf(old) : []);
    if (needsNodePort(svc)) allocateNodePorts(svc, txn, ctx, oldPorts);
    const kept = new Set(needsNodePort(svc) ? nodePortsOf(svc) : []);
    for (const p of oldPorts) if (!kept.has(p)) txn.releasePorts.push(p);
    const oldHC = needsHealthCheck(old) ? old.spec.healthCheckNodePort : undefined;
    if (needsHealthCheck(svc)) allocateHealthCheck(svc, txn, ctx, oldHC);
    if (oldHC && svc.spec.healthCheckNodePort !== oldHC) txn.releasePorts.push(oldHC);
    return txn;
  },
  validate: (obj) => validateService(asSvc(obj)),
  validateUpdate: (obj, old) => [...validateClusterIPUpdate(asSvc(obj), asSvc(old)), ...validateService(asSvc(obj))],
  afterDelete(obj, ctx) {
    const svc = asSvc(obj);
    if (needsClusterIP(svc) && !isHeadless(svc)) ctx.clusterIPs.release(svc.spec.clusterIPs?.[0] ?? svc.spec.clusterIP);
    for (const p of nodePortsOf(svc)) ctx.nodePorts.release(p);
    if (svc.spec.healthCheckNodePort) ctx.nodePorts.release(svc.spec.healthCheckNodePort);
  },
};
