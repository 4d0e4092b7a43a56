/**
 * Container environment as the kubelet builds it (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables):
 * envFrom first, then env in order; $(VAR) references expand against what is defined so far
 * ($$ escapes); values from ConfigMaps, Secrets and the downward API. A missing object or key
 * that is not optional stops the container with CreateContainerConfigError and the kubelet's
 * own words: `secret "mysql-pass" not found`, `couldn't find key password in Secret default/mysql-pass`.
 */
import type { Container, KubeObject, Pod } from '../api/types.ts';
import { type ClusterContext, clusterLocal } from '../runtime/context.ts';
import type { WatchEvent, WatchListener } from '../api/store.ts';

export type EnvResult = { ok: true; env: Record<string, string> } | { ok: false; message: string };

/** Secret values are base64 in `data`; `stringData` is accepted too in case it was not merged. */
export function secretValues(secret: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((secret.data ?? {}) as Record<string, string>)) out[k] = Buffer.from(String(v), 'base64').toString('utf8');
  for (const [k, v] of Object.entries((secret.stringData ?? {}) as Record<string, string>)) out[k] = String(v);
  return out;
}

export function configMapValues(cm: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((cm.data ?? {}) as Record<string, unknown>)) out[String(k)] = String(v);
  for (const [k, v] of Object.entries((cm.binaryData ?? {}) as Record<string, string>)) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** Expand $(VAR) as kubernetes third_party/forked/golang/expansion: unknown refs stay literal, $$ → $. */
export function expand(input: string, env: Record<string, string>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (ch === '$' && i + 1 < input.length) {
      const nx = input[i + 1];
      if (nx === '$') { out += '$'; i++; continue; }
      if (nx === '(') {
        const end = input.indexOf(')', i + 2);
        if (end > 0) {
          const name = input.slice(i + 2, end);
          out += name in env ? env[name] : `$(${name})`;
          i = end;
          continue;
        }
      }
    }
    out += ch;
  }
  return out;
}

export function fieldRefValue(pod: Pod, path: string): string | undefined {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return pod.metadata.name;
    case 'metadata.namespace': return pod.metadata.namespace ?? 'default';
    case 'metadata.uid': return pod.metadata.uid ?? '';
    case 'spec.nodeName': return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec.serviceAccountName ?? 'default';
    case 'status.hostIP': return pod.status?.hostIP ?? '';
    case 'status.hostIPs': return pod.status?.hostIP ?? '';
    case 'status.podIP': return pod.status?.podIP ?? '';
    case 'status.podIPs': return pod.status?.podIP ?? '';
    default: return undefined;
  }
}

/**
 * The Service variables the kubelet adds (pkg/kubelet/envvars FromServices, kubelet_pods.go
 * getServiceEnvVarMap): for every Service with a ClusterIP in the pod's namespace (only when
 * enableServiceLinks, the default) and always for default/kubernetes: NAME_SERVICE_HOST,
 * NAME_SERVICE_PORT[_PORTNAME] and the docker-link style NAME_PORT_* variables.
 */
export function serviceEnv(ctx: ClusterContext, pod: Pod): Readonly<Record<string, string>> {
  // Every container of a namespace sees the same variables until a Service changes, so they
  // are computed once per namespace and shared (frozen): with 1,000 Services a namespace's
  // pods would otherwise each carry and rebuild ~7,000 variables. Treat the result as read-only.
  const cache = serviceEnvCache(ctx);
  const key = `${pod.metadata.namespace ?? 'default'}|${pod.spec.enableServiceLinks !== false}`;
  let env = cache.get(key);
  if (!env) {
    // A null prototype keeps names like `constructor` from resolving to Object's own members.
    // Not frozen: a container's own variable of the same name must be assignable on top of it
    // (a frozen prototype property would make that assignment throw), and nothing writes to it.
    env = Object.assign(Object.create(null) as Record<string, string>, computeServiceEnv(ctx, pod));
    cache.set(key, env);
  }
  return env;
}

/** The per-namespace Service variables of one cluster, dropped whenever a Service is written. */
class ServiceEnvCache implements WatchListener {
  readonly byKey = new Map<string, Readonly<Record<string, string>>>();
  onWatchEvent(ev: WatchEvent): void {
    // Any Service write may change any namespace's variables (default/kubernetes is in all).
    if (ev.object.kind === 'Service' && this.byKey.size) this.byKey.clear();
  }
}

function serviceEnvCache(ctx: ClusterContext): Map<string, Readonly<Record<string, string>>> {
  return clusterLocal(ctx, 'kubelet-service-env', newServiceEnvCache).byKey;
}

function newServiceEnvCache(ctx: ClusterContext): ServiceEnvCache {
  const c = new ServiceEnvCache();
  ctx.store.watch(c);
  return c;
}

function computeServiceEnv(ctx: ClusterContext, pod: Pod): Record<string, string> {
  const ns = pod.metadata.namespace ?? 'default';
  const services: KubeObject[] = [];
  if (pod.spec.enableServiceLinks !== false) services.push(...ctx.store.list('Service', ns));
  const master = ctx.store.get('Service', 'default', 'kubernetes');
  if (master && !services.includes(master)) services.push(master);
  const env: Record<string, string> = {};
  const up = (x: string) => x.toUpperCase().replace(/-/g, '_');
  for (const svc of services) {
    const ip = svc.spec?.clusterIP as string | undefined;
    const ports = (svc.spec?.ports ?? []) as { name?: string; port: number; protocol?: string }[];
    if (!ip || ip === 'None' || !ports.length) continue;
    const name = up(svc.metadata.name);
    env[`${name}_SERVICE_HOST`] = ip;
    env[`${name}_SERVICE_PORT`] = String(ports[0]!.port);
    for (const p of ports) if (p.name) env[`${name}_SERVICE_PORT_${up(p.name)}`] = String(p.port);
    const proto = (p: { protocol?: string }) => (p.protocol ?? 'TCP').toLowerCase();
    env[`${name}_PORT`] = `${proto(ports[0]!)}://${ip}:${ports[0]!.port}`;
    for (const p of ports) {
      const pre = `${name}_PORT_${p.port}_${(p.protocol ?? 'TCP').toUpperCase()}`;
      env[pre] = `${proto(p)}://${ip}:${p.port}`;
      env[`${pre}_PROTO`] = proto(p);
      env[`${pre}_PORT`] = String(p.port);
      env[`${pre}_ADDR`] = ip;
    }
  }
  return env;
}

export function resolveEnv(ctx: ClusterContext, pod: Pod, c: Container, ips?: { podIP?: string; hostIP?: string }): EnvResult {
  const ns = pod.metadata.namespace ?? 'default';
  // Service variables come first: explicit env and envFrom override them, and $(VAR) may use
  // them. They sit in the prototype, shared by every container of the namespace; lookups see
  // them, and `envEntries` lists them with the container's own.
  const env: Record<string, string> = Object.create(serviceEnv(ctx, pod)) as Record<string, string>;
  const view: Pod = ips ? { ...pod, status: { ...(pod.status ?? {}), ...ips } } : pod;
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const cm = ctx.store.get('ConfigMap', ns, from.configMapRef.name);
      if (!cm) {
        if (from.configMapRef.optional) continue;
        return { ok: false, message: `configmap "${from.configMapRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(configMapValues(cm))) env[prefix + k] = v;
    }
    if (from.secretRef) {
      const s = ctx.store.get('Secret', ns, from.secretRef.name);
      if (!s) {
        if (from.secretRef.optional) continue;
        return { ok: false, message: `secret "${from.secretRef.name}" not found` };
      }
      for (const [k, v] of Object.entries(secretValues(s))) env[prefix + k] = v;
    }
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom === undefined) {
      env[e.name] = expand(e.value ?? '', env);
      continue;
    }
    const vf = e.valueFrom;
    if (vf.secretKeyRef) {
      const { name, key, optional } = vf.secretKeyRef;
      const s = ctx.store.get('Secret', ns, name);
      if (!s) {
        if (optional) continue;
        return { ok: false, message: `secret "${name}" not found` };
      }
      const vals = secretValues(s);
      if (!(key in vals)) {
        if (optional) continue;
        return { ok: false, message: `couldn't find key ${key} in Secret ${ns}/${name}` };
      }
      env[e.name] = vals[key]!;
    } else if (vf.configMapKeyRef) {
      const { name, key, optional } = vf.configMapKeyRef;
      const cm = ctx.store.get('ConfigMap', ns, name);
      if (!cm) {
        if (optional) continue;
        return { ok: false, message: `configmap "${name}" not found` };
      }
      const vals = configMapValues(cm);
      if (!(key in vals)) {
        if (optional) continue;
        return { ok: false, message: `couldn't find key ${key} in ConfigMap ${ns}/${name}` };
      }
      env[e.name] = vals[key]!;
    } else if (vf.fieldRef) {
      env[e.name] = fieldRefValue(view, vf.fieldRef.fieldPath) ?? '';
    } else {
      // resourceFieldRef: the limit, or the node's allocatable when unset; the simulator reports "0".
      env[e.name] = '0';
    }
  }
  return { ok: true, env };
}

/** All of a container's variables, its own and the inherited Service variables, as one plain object. */
export function envEntries(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  // for…in walks the prototype chain too, which is where the shared Service variables live.
  for (const k in env) out[k] = env[k]!;
  return out;
}
