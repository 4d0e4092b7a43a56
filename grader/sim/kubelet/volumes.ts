/**
 * Volume setup before the pod sandbox starts (pkg/kubelet/volumemanager): a Secret or
 * ConfigMap volume whose object (or listed key) is missing keeps the pod in ContainerCreating
 * with a FailedMount event; a PVC must be bound; in-tree cloud disks are CSI-migrated in 1.31
 * and no such CSI driver runs on kind, so they never attach.
 */
import type { Pod, Volume } from '../api/types.ts';
import type { ClusterContext } from '../runtime/context.ts';
import { configMapValues, secretValues } from './env.ts';
import { isBound } from '../controllers/volume/classes.ts';

export interface MountProblem {
  reason: 'FailedMount' | 'FailedAttachVolume';
  message: string;
}

/** In-tree plugins and the CSI driver they migrate to (pkg/volume/csimigration). */
const MIGRATED: Record<string, string> = {
  gcePersistentDisk: 'pd.csi.storage.gke.io',
  awsElasticBlockStore: 'ebs.csi.aws.com',
  cinder: 'cinder.csi.openstack.org',
  azureDisk: 'disk.csi.azure.com',
  azureFile: 'file.csi.azure.com',
  vsphereVolume: 'csi.vsphere.vmware.com',
  portworxVolume: 'pxd.portworx.com',
};

function itemsMissing(items: { key: string }[] | undefined, have: Record<string, string>): string | undefined {
  return items?.find((i) => !(i.key in have))?.key;
}

export function checkVolume(ctx: ClusterContext, pod: Pod, v: Volume, node: string): MountProblem | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  if (v.secret) {
    const s = ctx.store.get('Secret', ns, v.secret.secretName);
    if (!s) return v.secret.optional ? undefined : { reason: 'FailedMount', message: `MountVolume.SetUp failed for volume "${v.name}" : secret "${v.secret.secretName}" not found` };
    const k = itemsMissing(v.secret.items, secretValues(s));
    if (k && !v.secret.optional) return { reason: 'FailedMount', message: `MountVolume.SetUp failed for volume "${v.name}" : references non-existent secret key: ${k}` };
  }
  if (v.configMap) {
    const cm = ctx.store.get('ConfigMap', ns, v.configMap.name);
    if (!cm) return v.configMap.optional ? undefined : { reason: 'FailedMount', message: `MountVolume.SetUp failed for volume "${v.name}" : configmap "${v.configMap.name}" not found` };
    const k = itemsMissing(v.configMap.items, configMapValues(cm));
    if (k && !v.configMap.optional) return { reason: 'FailedMount', message: `MountVolume.SetUp failed for volume "${v.name}" : configmap references non-existent config key: ${k}` };
  }
  if (v.persistentVolumeClaim) {
    const pvc = ctx.store.get('PersistentVolumeClaim', ns, v.persistentVolumeClaim.claimName);
    if (!pvc || !isBound(pvc)) {
      return { reason: 'FailedMount', message: `Unable to attach or mount volumes: unmounted volumes=[${v.name}], unattached volumes=[${v.name}]: timed out waiting for the condition` };
    }
  }
  for (const [plugin, driver] of Object.entries(MIGRATED)) {
    if (v[plugin]) return { reason: 'FailedAttachVolume', message: `AttachVolume.Attach failed for volume "${v.name}" : CSINode ${node} does not contain driver ${driver}` };
  }
  if (v.nfs || v.iscsi || v.glusterfs || v.cephfs || v.rbd || v.fc) {
    return { reason: 'FailedMount', message: `MountVolume.SetUp failed for volume "${v.name}" : mount failed: exit status 32` };
  }
  return undefined;
}

export function checkVolumes(ctx: ClusterContext, pod: Pod, node: string): MountProblem | undefined {
  for (const v of pod.spec.volumes ?? []) {
    const p = checkVolume(ctx, pod, v, node);
    if (p) return p;
  }
  return undefined;
}
