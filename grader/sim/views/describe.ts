/**
 * `kubectl describe` for the kinds labs inspect most (Pod, Service) and a generic form for
 * the rest (pkg/describe/describe.go layout: `Key:` columns, `<none>` for empty values,
 * Events last).
 */
import type { ClusterContext } from '../runtime/context.ts';
import type { EndpointSlice, KubeObject, Pod, Service } from '../api/types.ts';
import { describeEvents } from './events.ts';
import { formatLabels } from './format.ts';
import { ApiError, ApiErrorReason } from '../../errors.ts';

const W = 26; // Service describe aligns values at column 26 (tabwriter over its own keys)

function kv(key: string, value: string, width = W): string {
  return `${`${key}:`.padEnd(width)}${value}`;
}

function multiline(key: string, m: Record<string, string> | undefined, width = W): string {
  const keys = Object.keys(m ?? {}).sort();
  if (keys.length === 0) return kv(key, '<none>', width);
  return keys.map((k, i) => (i === 0 ? kv(key, `${k}=${m![k]}`, width) : `${' '.repeat(width)}${k}=${m![k]}`)).join('\n');
}

function describeService(ctx: ClusterContext, svc: Service): string {
  const s = svc.spec ?? ({} as Service['spec']);
  const lines = [kv('Name', svc.metadata.name), kv('Namespace', svc.metadata.namespace ?? ''), multiline('Labels', svc.metadata.labels), multiline('Annotations', svc.metadata.annotations)];
  lines.push(kv('Selector', formatLabels(s.selector)));
  lines.push(kv('Type', s.type ?? ''));
  if (s.type !== 'ExternalName') {
    lines.push(kv('IP Family Policy', s.ipFamilyPolicy ?? '<none>'));
    lines.push(kv('IP Families', (s.ipFamilies ?? []).join(',') || '<none>'));
    lines.push(kv('IP', s.clusterIP ?? ''));
    lines.push(kv('IPs', (s.clusterIPs ?? []).join(',') || '<none>'));
  } else {
    lines.push(kv('External Name', s.externalName ?? ''));
  }
  if (s.externalIPs?.length) lines.push(kv('External IPs', s.externalIPs.join(',')));
  const lb = ((svc.status as any)?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname);
  if (lb.length) lines.push(kv('LoadBalancer Ingress', lb.join(', ')));
  const slices = ctx.store.list('EndpointSlice', svc.metadata.namespace).filter((e) => e.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name) as EndpointSlice[];
  for (const p of s.ports ?? []) {
    lines.push(kv('Port', `${p.name || '<unset>'}  ${p.port}/${p.protocol}`));
    const tp = p.targetPort ?? p.port;
    lines.push(kv('TargetPort', `${tp}/${p.protocol}`));
    if (p.nodePort) lines.push(kv('NodePort', `${p.name || '<unset>'}  ${p.nodePort}/${p.protocol}`));
    const eps: string[] = [];
    for (const es of slices) {
      const port = (es.ports ?? []).find((x) => (x.name ?? '') === (p.name ?? ''));
      if (!port) continue;
      for (const e of es.endpoints ?? []) if (e.conditions?.ready !== false) for (const a of e.addresses ?? []) eps.push(`${a}:${port.port}`);
    }
    lines.push(kv('Endpoints', eps.join(',')));
  }
  lines.push(kv('Session Affinity', s.sessionAffinity ?? 'None'));
  if (s.externalTrafficPolicy) lines.push(kv('External Traffic Policy', s.externalTrafficPolicy));
  if (s.healthCheckNodePort) lines.push(kv('HealthCheck NodePort', String(s.healthCheckNodePort)));
  if (s.internalTrafficPolicy) lines.push(kv('Internal Traffic Policy', s.internalTrafficPolicy));
  lines.push(describeEvents(ctx, ctx.events.for('Service', svc.metadata.namespace, svc.metadata.name)));
  return lines.join('\n');
}

function describePod(ctx: ClusterContext, pod: Pod): string {
  const w = 17;
  const st = (pod.status ?? {}) as any;
  const lines = [
    kv('Name', pod.metadata.name, w),
    kv('Namespace', pod.metadata.namespace ?? '', w),
    kv('Priority', String((pod.spec as any)?.priority ?? 0), w),
    kv('Service Account', pod.spec?.serviceAccountName ?? 'default', w),
    kv('Node', pod.spec?.nodeName ? `${pod.spec.nodeName}/${st.hostIP ?? ''}` : '<none>', w),
    kv('Start Time', st.startTime ? new Date(st.startTime).toUTCString().replace('GMT', '+0000') : '<none>', w),
    multiline('Labels', pod.metadata.labels, w),
    multiline('Annotations', pod.metadata.annotations, w),
    kv('Status', pod.metadata.deletionTimestamp ? 'Terminating' : st.phase ?? 'Pending', w),
  ];
  if (st.reason) lines.push(kv('Reason', st.reason, w));
  if (st.message) lines.push(kv('Message', st.message, w));
  lines.push(kv('IP', st.podIP ?? '', w));
  lines.push('IPs:' + (st.podIP ? `\n  IP:  ${st.podIP}` : '              <none>'));
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller);
  if (owner) lines.push(kv('Controlled By', `${owner.kind}/${owner.name}`, w));
  lines.push('Containers:');
  for (const c of pod.spec?.containers ?? []) {
    const cs = (st.containerStatuses ?? []).find((x: any) => x.name === c.name);
    lines.push(`  ${c.name}:`);
    lines.push(`    ${kv('Image', c.image, 16)}`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`);
    lines.push(`    ${kv('Port', ports.join(', ') || '<none>', 16)}`);
    const state = cs?.state?.running ? 'Running' : cs?.state?.terminated ? 'Terminated' : 'Waiting';
    lines.push(`    ${kv('State', state, 16)}`);
    const reason = cs?.state?.waiting?.reason ?? cs?.state?.terminated?.reason;
    if (reason) lines.push(`      ${kv('Reason', reason, 14)}`);
    lines.push(`    ${kv('Ready', cs?.ready ? 'True' : 'False', 16)}`);
    lines.push(`    ${kv('Restart Count', String(cs?.restartCount ?? 0), 16)}`);
  }
  const conds: any[] = st.conditions ?? [];
  lines.push('Conditions:');
  lines.push('  Type              Status');
  for (const c of conds) lines.push(`  ${c.type.padEnd(18)}${c.status}`);
  lines.push(kv('QoS Class', st.qosClass ?? 'BestEffort', w));
  lines.push(kv('Node-Selectors', formatLabels(pod.spec?.nodeSelector), w));
  const tol = (pod.spec?.tolerations ?? []).map(
    (t) => `${t.key ?? ''}${t.operator === 'Exists' ? '' : `=${t.value ?? ''}`}:${t.effect ?? ''}${t.operator === 'Exists' ? ' op=Exists' : ''}${t.tolerationSeconds !== undefined ? ` for ${t.tolerationSeconds}s` : ''}`,
  );
  lines.push(tol.length ? tol.map((t, i) => (i === 0 ? kv('Tolerations', t, w) : `${' '.repeat(w)}${t}`)).join('\n') : kv('Tolerations', '<none>', w));
  lines.push(describeEvents(ctx, ctx.events.for('Pod', pod.metadata.namespace, pod.metadata.name)));
  return lines.join('\n');
}

function describeGeneric(ctx: ClusterContext, obj: KubeObject): string {
  const lines = [kv('Name', obj.metadata.name), ...(obj.metadata.namespace ? [kv('Namespace', obj.metadata.namespace)] : [])];
  lines.push(multiline('Labels', obj.metadata.labels), multiline('Annotations', obj.metadata.annotations));
  lines.push(kv('API Version', obj.apiVersion), kv('Kind', obj.kind));
  lines.push(kv('Creation Timestamp', obj.metadata.creationTimestamp ?? '<unknown>'));
  if (obj.spec !== undefined) lines.push(`Spec:\n${indentJson(obj.spec)}`);
  if (obj.status !== undefined && Object.keys(obj.status ?? {}).length) lines.push(`Status:\n${indentJson(obj.status)}`);
  lines.push(describeEvents(ctx, ctx.events.for(obj.kind, obj.metadata.namespace, obj.metadata.name)));
  return lines.join('\n');
}

function indentJson(v: unknown): string {
  return JSON.stringify(v, null, 2)
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** `kubectl describe KIND NAME -n NS`. Throws NotFound as kubectl reports it. */
export function describe(ctx: ClusterContext, kind: string, namespace: string | undefined, name: string): string {
  const obj = ctx.store.get(kind, namespace, name) ?? ctx.store.get(kind, undefined, name);
  if (!obj) throw new ApiError(ApiErrorReason.NotFound, `${kind.toLowerCase()}s "${name}" not found`, 404);
  if (kind === 'Service') return describeService(ctx, obj as Service);
  if (kind === 'Pod') return describePod(ctx, obj as Pod);
  return describeGeneric(ctx, obj);
}
