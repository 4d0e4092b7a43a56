/** `kubectl get deployments`, `statefulsets` and `pvc`, as printDeployment / printStatefulSet / printPersistentVolumeClaim print them. */
import type { ClusterContext } from '../runtime/context.ts';
import type { KubeObject } from '../api/types.ts';
import { type ViewOptions, age, formatLabels, listing } from './format.ts';

function containersAndImages(o: KubeObject): [string, string] {
  const cs: any[] = o.spec?.template?.spec?.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(',')];
}

function selectorText(sel: any): string {
  if (!sel) return '<none>';
  const parts = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${(e.values ?? []).join(',')})`);
  }
  return parts.length ? parts.join(',') : '<none>';
}

export function getDeployments(ctx: ClusterContext, namespace: string | undefined, opts: ViewOptions = {}): string {
  const header = ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'];
  if (opts.wide) header.push('CONTAINERS', 'IMAGES', 'SELECTOR');
  return listing(ctx.store.list('Deployment', namespace), namespace, true, header, (o) => {
    const st = o.status ?? {};
    const row = [o.metadata.name, `${st.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`, String(st.updatedReplicas ?? 0), String(st.availableReplicas ?? 0), age(ctx, o.metadata.creationTimestamp)];
    if (opts.wide) row.push(...containersAndImages(o), selectorText(o.spec?.selector));
    return row;
  });
}

export function getStatefulSets(ctx: ClusterContext, namespace: string | undefined, opts: ViewOptions = {}): string {
  const header = ['NAME', 'READY', 'AGE'];
  if (opts.wide) header.push('CONTAINERS', 'IMAGES');
  return listing(ctx.store.list('StatefulSet', namespace), namespace, true, header, (o) => {
    const row = [o.metadata.name, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`, age(ctx, o.metadata.creationTimestamp)];
    if (opts.wide) row.push(...containersAndImages(o));
    return row;
  });
}

const MODE_SHORT: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

export function getPVCs(ctx: ClusterContext, namespace: string | undefined, _opts: ViewOptions = {}): string {
  const header = ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'];
  return listing(ctx.store.list('PersistentVolumeClaim', namespace), namespace, true, header, (o) => {
    const bound = o.status?.phase === 'Bound';
    const modes: string[] = (bound ? o.status?.accessModes : undefined) ?? [];
    return [
      o.metadata.name,
      o.status?.phase ?? 'Pending',
      o.spec?.volumeName ?? '',
      bound ? String(o.status?.capacity?.storage ?? '') : '',
      modes.map((m) => MODE_SHORT[m] ?? m).join(','),
      o.spec?.storageClassName ?? '<unset>',
      o.spec?.volumeAttributesClassName ?? '<unset>',
      age(ctx, o.metadata.creationTimestamp),
    ];
  });
}

export { formatLabels, selectorText };
