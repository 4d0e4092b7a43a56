/** `kubectl get services` and `kubectl get endpointslices`, as printService / printEndpointSlice print them. */
import type { ClusterContext } from '../runtime/context.ts';
import type { EndpointSlice, KubeObject, Service } from '../api/types.ts';
import { type ViewOptions, age, formatLabels, listing } from './format.ts';

function lbStatus(status: any, wide: boolean): string {
  const ingress: any[] = status?.loadBalancer?.ingress ?? [];
  const text = ingress.map((i) => i.ip || i.hostname).filter(Boolean).join(',');
  if (!wide && text.length > 16) return `${text.slice(0, 13)}...`;
  return text;
}

export function serviceExternalIP(svc: Service, wide = false): string {
  const ext = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return ext.length ? ext.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = lbStatus(svc.status, wide);
      if (ext.length) return [...(lb ? lb.split(',') : []), ...ext].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

export function servicePorts(svc: Service): string {
  const ports = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

export function getServices(ctx: ClusterContext, namespace: string | undefined, opts: ViewOptions = {}): string {
  const header = ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'];
  if (opts.wide) header.push('SELECTOR');
  return listing(ctx.store.list('Service', namespace), namespace, true, header, (o: KubeObject) => {
    const svc = o as Service;
    const row = [svc.metadata.name, svc.spec?.type ?? '', svc.spec?.clusterIP || '<none>', serviceExternalIP(svc, opts.wide), servicePorts(svc), age(ctx, svc.metadata.creationTimestamp)];
    if (opts.wide) row.push(formatLabels(svc.spec?.selector));
    return row;
  });
}

function listWithMore(list: string[], count: number, max: number): string {
  const text = list.join(',');
  if (count > max) return `${text} + ${count - max} more...`;
  return text || '<unset>';
}

export function getEndpointSlices(ctx: ClusterContext, namespace: string | undefined, _opts: ViewOptions = {}): string {
  return listing(ctx.store.list('EndpointSlice', namespace), namespace, true, ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'], (o: KubeObject) => {
    const es = o as EndpointSlice;
    const ports = (es.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : p.name ?? '*'));
    const addrs = (es.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [es.metadata.name, es.addressType, listWithMore(ports.slice(0, 3), ports.length, 3), listWithMore(addrs.slice(0, 3), addrs.length, 3), age(ctx, es.metadata.creationTimestamp)];
  });
}
