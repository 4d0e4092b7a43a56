/**
 * The PersistentVolume controller and kind's local-path provisioner
 * (pkg/controller/volume/persistentvolume/pv_controller.go; rancher/local-path-provisioner):
 * claims without a class get the default one (retroactive default StorageClass, GA in 1.28);
 * a claim binds to the smallest Available PV of its class whose access modes and capacity fit;
 * otherwise a class served by an installed provisioner gets a new PV — for local-path only
 * ReadWriteOnce, only once a consumer pod picked a node (WaitForFirstConsumer), and the PV is
 * pinned to that node. A class that does not exist, or whose provisioner does not run on kind,
 * leaves the claim Pending with the controller's event. Deleting a claim releases its PV:
 * deleted (and its data with it) under reclaimPolicy Delete, Released under Retain.
 */
import { compareStrings } from '../../../util/compare.ts';
import type { WatchEvent } from '../../api/store.ts';
import type { KubeObject } from '../../api/types.ts';
import { selectorMatches } from '../../api/types.ts';
import type { Controller } from '../../runtime/controller-manager.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import { ApiError } from '../../../errors.ts';
import { memoryBytes } from '../../scheduler/quantity.ts';
import { INSTALLED_PROVISIONERS, LOCAL_PATH_PROVISIONER, SELECTED_NODE_ANNOTATION, claimClass, defaultClass, isBound, isWaitForFirstConsumer, volumeClass } from './classes.ts';
import { volumeData } from './data.ts';
import { cloneApi } from '../../api/clone.ts';

export const PV_CONTROLLER = 'persistentvolume-binder';
const SOURCE = 'persistentvolume-controller';

function pvcKey(o: KubeObject): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
}

/** The static PV a claim may bind to (findBestMatchForClaim): smallest that fits, by name on ties. */
export function findMatchingVolume(pvc: KubeObject, className: string, pvs: KubeObject[]): KubeObject | undefined {
  const want = memoryBytes(pvc.spec?.resources?.requests?.storage);
  const modes: string[] = pvc.spec?.accessModes ?? [];
  const mode = pvc.spec?.volumeMode ?? 'Filesystem';
  const fits = pvs.filter((pv) => {
    const ref = pv.spec?.claimRef;
    if (ref && !(ref.name === pvc.metadata.name && (ref.namespace ?? 'default') === (pvc.metadata.namespace ?? 'default') && (!ref.uid || ref.uid === pvc.metadata.uid))) return false;
    if (pv.status?.phase && pv.status.phase !== 'Available' && !ref) return false;
    if (pv.metadata.deletionTimestamp) return false;
    if (volumeClass(pv) !== className) return false;
    if ((pv.spec?.volumeMode ?? 'Filesystem') !== mode) return false;
    const pvModes: string[] = pv.spec?.accessModes ?? [];
    if (!modes.every((m) => pvModes.includes(m))) return false;
    if (memoryBytes(pv.spec?.capacity?.storage) < want) return false;
    if (pvc.spec?.selector && !selectorMatches(pvc.spec.selector, pv.metadata.labels)) return false;
    return true;
  });
  fits.sort((a, b) => memoryBytes(a.spec?.capacity?.storage) - memoryBytes(b.spec?.capacity?.storage) || compareStrings(a.metadata.name, b.metadata.name));
  // A PV pre-bound to this claim wins.
  return fits.find((pv) => pv.spec?.claimRef) ?? fits[0];
}

export class PersistentVolumeController implements Controller {
  readonly name = PV_CONTROLLER;
  /** Last event per claim, so a waiting claim does not repeat itself on every sync. */
  private lastEvent = new Map<string, string>();

  constructor(private readonly ctx: ClusterContext) {}

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    if (o.kind === 'PersistentVolumeClaim') {
      if (ev.type === 'DELETED') return this.ctx.store.list('PersistentVolume').filter((pv) => pv.spec?.claimRef?.uid === o.metadata.uid || (pv.spec?.claimRef?.name === o.metadata.name && pv.spec?.claimRef?.namespace === o.metadata.namespace)).map((pv) => `pv:${pv.metadata.name}`);
      return [pvcKey(o)];
    }
    if (o.kind === 'PersistentVolume' || o.kind === 'StorageClass') {
      const out = this.ctx.store.list('PersistentVolumeClaim').filter((c) => !isBound(c)).map(pvcKey);
      if (o.kind === 'PersistentVolume' && ev.type !== 'DELETED') out.push(`pv:${o.metadata.name}`);
      return out;
    }
    return [];
  }

  sync(key: string): void {
    if (key.startsWith('pv:')) {
      this.syncVolume(key.slice(3));
      return;
    }
    const i = key.indexOf('/');
    const pvc = this.ctx.store.get('PersistentVolumeClaim', key.slice(0, i), key.slice(i + 1));
    if (!pvc || pvc.metadata.deletionTimestamp) return;
    if (isBound(pvc)) {
      if (!this.ctx.store.get('PersistentVolume', undefined, pvc.spec.volumeName)) this.setPhase(pvc, 'Lost');
      return;
    }
    const asked = claimClass(pvc);
    const className = asked ?? '';
    const cls = className ? this.ctx.store.get('StorageClass', undefined, className) : undefined;
    const wffc = isWaitForFirstConsumer(cls);
    const node = pvc.metadata.annotations?.[SELECTED_NODE_ANNOTATION];
    const pvs = pvc.spec?.volumeName
      ? [this.ctx.store.get('PersistentVolume', undefined, pvc.spec.volumeName)].filter((x): x is KubeObject => !!x)
      : this.ctx.store.list('PersistentVolume');
    const pv = findMatchingVolume(pvc, className, pvs);
    if (pv && (!wffc || node)) {
      this.bind(pvc, pv, true);
      return;
    }
    // syncUnboundClaim → assignDefaultStorageClass: a claim created with no class (no default
    // existed then) and no matching class-less PV gets today's default class, then syncs again.
    if (asked === undefined && !pvc.spec?.volumeName) {
      const def = defaultClass(this.ctx);
      if (def) {
        const next = cloneApi(pvc);
        next.spec = { ...(next.spec ?? {}), storageClassName: def.metadata.name };
        if (this.write(() => this.ctx.api.update(next))) return;
      }
    }
    this.setPhase(pvc, 'Pending');
    if (!className) {
      this.event(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      return;
    }
    if (!cls) {
      this.event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    if (wffc && !node) {
      this.event(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return;
    }
    const provisioner: string = cls.provisioner ?? '';
    if (!INSTALLED_PROVISIONERS.includes(provisioner)) {
      this.event(pvc, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
      return;
    }
    if (provisioner === LOCAL_PATH_PROVISIONER) this.provisionLocalPath(pvc, cls, node);
  }

  private provisionLocalPath(pvc: KubeObject, cls: KubeObject, node: string | undefined): void {
    const ns = pvc.metadata.namespace ?? 'default';
    const modes: string[] = pvc.spec?.accessModes ?? [];
    if (!node) {
      this.event(pvc, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls.metadata.name}": configuration error, no node was specified`);
      return;
    }
    if (modes.some((m) => m !== 'ReadWriteOnce' && m !== 'ReadWriteOncePod')) {
      this.event(pvc, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls.metadata.name}": Only support ReadWriteOnce access mode`);
      return;
    }
    this.event(pvc, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${ns}/${pvc.metadata.name}"`);
    const name = `pvc-${pvc.metadata.uid ?? `${ns}-${pvc.metadata.name}`}`;
    const pv: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name,
        annotations: { 'local.path.provisioner/selected-node': node, 'pv.kubernetes.io/provisioned-by': LOCAL_PATH_PROVISIONER },
      },
      spec: {
        accessModes: modes.length ? [...modes] : ['ReadWriteOnce'],
        capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: pvc.metadata.name, uid: pvc.metadata.uid },
        hostPath: { path: `/var/local-path-provisioner/${name}_${ns}_${pvc.metadata.name}`, type: 'DirectoryOrCreate' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
        persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
        storageClassName: cls.metadata.name,
        volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
      },
    };
    const created = this.write(() => this.ctx.api.create(pv));
    if (!created) return;
    this.event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
    this.bind(pvc, created, false);
  }

  private bind(pvc0: KubeObject, pv0: KubeObject, byController: boolean): void {
    const pv = cloneApi(pv0);
    pv.spec.claimRef = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: pvc0.metadata.namespace ?? 'default', name: pvc0.metadata.name, uid: pvc0.metadata.uid };
    if (byController) pv.metadata.annotations = { ...(pv.metadata.annotations ?? {}), 'pv.kubernetes.io/bound-by-controller': 'yes' };
    const updatedPV = this.write(() => this.ctx.api.update(pv)) ?? pv0;
    if (updatedPV.status?.phase !== 'Bound') {
      const s = cloneApi(this.ctx.store.get('PersistentVolume', undefined, pv0.metadata.name) ?? updatedPV);
      s.status = { ...(s.status ?? {}), phase: 'Bound' };
      this.write(() => this.ctx.api.updateStatus(s));
    }
    const pvc = cloneApi(pvc0);
    pvc.spec = { ...(pvc.spec ?? {}), volumeName: pv0.metadata.name };
    const ann: Record<string, string> = { ...(pvc.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes' };
    if (byController) ann['pv.kubernetes.io/bound-by-controller'] = 'yes';
    const prov = pv0.metadata.annotations?.['pv.kubernetes.io/provisioned-by'];
    if (prov) {
      ann['volume.beta.kubernetes.io/storage-provisioner'] = prov;
      ann['volume.kubernetes.io/storage-provisioner'] = prov;
    }
    pvc.metadata.annotations = ann;
    const updated = this.write(() => this.ctx.api.update(pvc));
    if (!updated) return;
    const s = cloneApi(this.ctx.store.get('PersistentVolumeClaim', pvc0.metadata.namespace, pvc0.metadata.name) ?? updated);
    s.status = { ...(s.status ?? {}), phase: 'Bound', accessModes: [...(pv0.spec?.accessModes ?? [])], capacity: { ...(pv0.spec?.capacity ?? {}) } };
    this.write(() => this.ctx.api.updateStatus(s));
    this.lastEvent.delete(pvcKey(pvc0));
  }

  /** A PV whose claim is gone is reclaimed per its policy. */
  private syncVolume(name: string): void {
    const pv = this.ctx.store.get('PersistentVolume', undefined, name);
    if (!pv) return;
    if (!pv.status?.phase) {
      const s = cloneApi(pv);
      s.status = { phase: pv.spec?.claimRef ? 'Bound' : 'Available' };
      if (!pv.spec?.claimRef) this.write(() => this.ctx.api.updateStatus(s));
    }
    const ref = pv.spec?.claimRef;
    if (!ref || pv.status?.phase === 'Released') return;
    const pvc = this.ctx.store.get('PersistentVolumeClaim', ref.namespace, ref.name);
    if (pvc && (!ref.uid || !pvc.metadata.uid || pvc.metadata.uid === ref.uid)) return;
    if (pv.status?.phase !== 'Bound') return;
    if ((pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain') === 'Delete') {
      volumeData(this.ctx).drop(`pv:${name}`);
      this.write(() => this.ctx.api.delete('PersistentVolume', undefined, name));
      return;
    }
    const s = cloneApi(pv);
    s.status = { ...(s.status ?? {}), phase: 'Released' };
    this.write(() => this.ctx.api.updateStatus(s));
  }

  private setPhase(pvc: KubeObject, phase: string): void {
    if (pvc.status?.phase === phase) return;
    const s = cloneApi(pvc);
    s.status = { ...(s.status ?? {}), phase };
    this.write(() => this.ctx.api.updateStatus(s));
  }

  private event(pvc: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const k = pvcKey(pvc);
    if (this.lastEvent.get(k) === `${reason}:${message}`) return;
    this.lastEvent.set(k, `${reason}:${message}`);
    this.ctx.events.record(SOURCE, pvc, type, reason, message);
  }

  private write<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      // The controller would log and retry; the simulator leaves the claim as it is.
      return undefined;
    }
  }
}
