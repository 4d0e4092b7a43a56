/** `kubectl get ingresses` and `kubectl get nodes`, as printIngress / printNode print them. */
import type { ClusterContext } from '../runtime/context.ts';
import type { Ingress, KubeObject, Node } from '../api/types.ts';
import { type ViewOptions, age, listing } from './format.ts';

function formatHosts(rules: { host?: string }[]): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const r of rules) {
    if (list.length === max) more = true;
    if (!more && r.host) list.push(r.host);
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rules.length - max} more...` : list.join(',');
}

export function getIngresses(ctx: ClusterContext, namespace: string | undefined, opts: ViewOptions = {}): string {
  return listing(ctx.store.list('Ingress', namespace), namespace, true, ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'], (o: KubeObject) => {
    const ing = o as Ingress;
    const lb: any[] = (ing.status as any)?.loadBalancer?.ingress ?? [];
    let address = lb.map((i) => i.ip || i.hostname).filter(Boolean).join(',');
    if (!opts.wide && address.length > 16) address = `${address.slice(0, 13)}...`;
    return [
      ing.metadata.name,
      ing.spec?.ingressClassName ?? '<none>',
      formatHosts(ing.spec?.rules ?? []),
      address,
      (ing.spec?.tls ?? []).length ? '80, 443' : '80',
      age(ctx, ing.metadata.creationTimestamp),
    ];
  });
}

const ROLE_PREFIX = 'node-role.kubernetes.io/';

export function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const parts = [ready?.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

export function getNodes(ctx: ClusterContext, opts: ViewOptions = {}): string {
  const header = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'];
  if (opts.wide) header.push('INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME');
  return listing(ctx.store.list('Node'), undefined, false, header, (o: KubeObject) => {
    const node = o as Node;
    const roles = Object.keys(node.metadata.labels ?? {})
      .filter((k) => k.startsWith(ROLE_PREFIX))
      .map((k) => k.slice(ROLE_PREFIX.length))
      .sort();
    const info = node.status?.nodeInfo ?? {};
    const row = [node.metadata.name, nodeStatus(node), roles.length ? roles.join(',') : '<none>', age(ctx, node.metadata.creationTimestamp), info['kubeletVersion'] ?? ''];
    if (opts.wide) {
      const addr = (t: string) => (node.status?.addresses ?? []).find((a) => a.type === t)?.address ?? '<none>';
      row.push(addr('InternalIP'), addr('ExternalIP'), info['osImage'] ?? '<unknown>', info['kernelVersion'] ?? '<unknown>', info['containerRuntimeVersion'] ?? '<unknown>');
    }
    return row;
  });
}
