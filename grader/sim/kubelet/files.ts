/**
 * A container's file system as image behaviours see it: each path resolves to the volume
 * mounted at its longest matching mountPath (PVC → the bound PV's files, emptyDir → the pod's,
 * ConfigMap/Secret → read-only keys), or to the container's own layer, which a restart loses.
 */
import type { Container, Pod } from '../api/types.ts';
import type { ContainerFiles } from '../images/types.ts';
import type { ClusterContext } from '../runtime/context.ts';
import { type FileMap, volumeData } from '../controllers/volume/data.ts';
import { configMapValues, secretValues } from './env.ts';
import { ETC_HOSTS, etcHostsContent } from './hosts.ts';

interface Mount {
  mountPath: string;
  read(rel: string): string | undefined;
  write?(rel: string, data: string, append: boolean): void;
  list(): string[];
}

function mapMount(mountPath: string, files: FileMap, sub: string, readOnly: boolean): Mount {
  // A subPath to a single file (`/etc/hosts` from a ConfigMap key) is read at rel ''.
  const key = (rel: string) => (sub ? (rel ? `${sub}/${rel}` : sub) : rel);
  return {
    mountPath,
    read: (rel) => files.get(key(rel)),
    write: readOnly ? undefined : (rel, data, append) => files.set(key(rel), append ? (files.get(key(rel)) ?? '') + data : data),
    list: () => [...files.keys()].filter((k) => !sub || k === sub || k.startsWith(`${sub}/`)).map((k) => (sub ? k.slice(sub.length + 1) : k)),
  };
}

export function containerFiles(ctx: ClusterContext, pod: Pod, c: Container, run: number): ContainerFiles {
  const data = volumeData(ctx);
  const uid = pod.metadata.uid ?? pod.metadata.name;
  const ns = pod.metadata.namespace ?? 'default';
  const mounts: Mount[] = [];
  for (const vm of c.volumeMounts ?? []) {
    const v = pod.spec.volumes?.find((x) => x.name === vm.name);
    if (!v) continue;
    const sub = (vm.subPath ?? '').replace(/^\/+|\/+$/g, '');
    const mp = vm.mountPath.replace(/\/+$/, '') || '/';
    if (v.persistentVolumeClaim) {
      const pvc = ctx.store.get('PersistentVolumeClaim', ns, v.persistentVolumeClaim.claimName);
      const pv = pvc?.spec?.volumeName;
      if (pv) mounts.push(mapMount(mp, data.files(`pv:${pv}`), sub, !!vm.readOnly || !!v.persistentVolumeClaim.readOnly));
    } else if (v.emptyDir) {
      mounts.push(mapMount(mp, data.files(`emptyDir:${uid}/${v.name}`), sub, !!vm.readOnly));
    } else if (v.configMap || v.secret) {
      const obj = v.configMap
        ? ctx.store.get('ConfigMap', ns, v.configMap.name)
        : ctx.store.get('Secret', ns, v.secret!.secretName);
      const vals = obj ? (v.configMap ? configMapValues(obj) : secretValues(obj)) : {};
      const items = (v.configMap?.items ?? v.secret?.items);
      const files = new Map<string, string>();
      for (const [k, val] of Object.entries(vals)) {
        if (items) { const it = items.find((i) => i.key === k); if (it) files.set(it.path, val); } else files.set(k, val);
      }
      mounts.push(mapMount(mp, files, sub, true));
    } else {
      mounts.push(mapMount(mp, data.files(`other:${uid}/${v.name}`), sub, !!vm.readOnly));
    }
  }
  // The kubelet's managed /etc/hosts, once the sandbox has an IP, unless the container mounts its own.
  const podIP = pod.status?.podIP;
  if (podIP && !mounts.some((m) => m.mountPath === ETC_HOSTS)) {
    const own = data.files(`etc-hosts:${uid}`);
    mounts.push({
      mountPath: ETC_HOSTS,
      read: (rel) => (rel === '' ? own.get('') ?? etcHostsContent(pod, (pod.status?.podIPs ?? [{ ip: podIP }]).map((x) => x.ip), ctx.config.clusterDomain, { name: pod.spec.nodeName ?? '', ip: pod.status?.hostIP }) : undefined),
      write: (rel, d, append) => { if (rel === '') own.set('', append ? (own.get('') ?? '') + d : d); },
      list: () => [''],
    });
  }
  mounts.sort((a, b) => b.mountPath.length - a.mountPath.length);
  const layer = mapMount('/', data.files(`layer:${uid}/${c.name}/${run}`), '', false);
  const find = (path: string): [Mount, string] => {
    for (const m of mounts) {
      if (m.mountPath === '/' ) return [m, path.replace(/^\/+/, '')];
      if (path === m.mountPath || path.startsWith(`${m.mountPath}/`)) return [m, path.slice(m.mountPath.length + 1)];
    }
    return [layer, path.replace(/^\/+/, '')];
  };
  return {
    read: (path) => { const [m, rel] = find(path); return m.read(rel); },
    write: (path, d, append) => { const [m, rel] = find(path); m.write?.(rel, d, !!append); },
    list: (dir) => {
      const d = dir.replace(/\/+$/, '');
      const out = new Set<string>();
      for (const m of [...mounts, layer]) {
        for (const rel of m.list()) {
          const abs = m === layer ? `/${rel}` : rel === '' ? m.mountPath : `${m.mountPath === '/' ? '' : m.mountPath}/${rel}`;
          if (abs.startsWith(`${d}/`) && find(abs)[0] === m) out.add(abs);
        }
      }
      return [...out].sort();
    },
  };
}
