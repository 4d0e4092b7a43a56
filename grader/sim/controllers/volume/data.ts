/**
 * What is written on volumes, so that "data on a PersistentVolume survives the pod" can be
 * observed: one file map per PV (dropped when the PV is deleted), one per pod emptyDir
 * (dropped with the pod), and one writable layer per container run (lost on restart).
 */
import type { ClusterContext } from '../../runtime/context.ts';
import { slot } from '../../nodes/state.ts';

export type FileMap = Map<string, string>;

export class VolumeData {
  private stores = new Map<string, FileMap>();
  /** Files of a store, created empty on first use. Keys: `pv:<name>`, `emptyDir:<podUid>/<volume>`, `layer:<podUid>/<container>/<run>`. */
  files(key: string): FileMap {
    let m = this.stores.get(key);
    if (!m) this.stores.set(key, (m = new Map()));
    return m;
  }
  drop(prefix: string): void {
    for (const k of [...this.stores.keys()]) if (k === prefix || k.startsWith(`${prefix}/`)) this.stores.delete(k);
  }
  has(key: string): boolean {
    return this.stores.has(key);
  }
}

export function volumeData(ctx: ClusterContext): VolumeData {
  return slot(ctx, 'volume-data', newVolumeData);
}

function newVolumeData(): VolumeData {
  return new VolumeData();
}

/** The files on a PersistentVolume, by PV name (read/write), e.g. for a check or an image behaviour. */
export function persistentVolumeFiles(ctx: ClusterContext, pvName: string): FileMap {
  return volumeData(ctx).files(`pv:${pvName}`);
}
