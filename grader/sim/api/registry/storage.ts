/**
 * PersistentVolumeClaims (ValidatePersistentVolumeClaim / ...Update in
 * pkg/apis/core/validation) and StorageClasses (pkg/apis/storage/validation).
 */
import { type FieldError, forbidden, invalid, notSupported, required } from '../validation/field.ts';
import { nameIsDNSSubdomain } from '../validation/names.ts';
import { deepEqual } from '../apply/merge.ts';
import type { Strategy } from './strategy.ts';
import { cloneApi } from '../clone.ts';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;
const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;

/** Bytes (or units) a quantity stands for, enough to compare sizes; NaN if unparsable. */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  const m = QUANTITY_RE.exec(String(q ?? ''));
  if (!m) return NaN;
  const n = Number(m[1]);
  const suffixes: Record<string, number> = {
    '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6,
  };
  const s = m[2]!;
  if (s in suffixes) return n * suffixes[s]!;
  const e = /^[eE]([-+]?\d+)$/.exec(s);
  return e ? n * 10 ** Number(e[1]) : NaN;
}

export const pvcStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: false,
  statusSubresource: true,
  defaults(obj) {
    obj.spec ??= {};
    obj.spec.volumeMode ??= 'Filesystem';
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending' };
  },
  validate(obj) {
    const s = obj.spec ?? {};
    const errs: FieldError[] = [];
    const modes: string[] = s.accessModes ?? [];
    if (modes.length === 0) errs.push(required('spec.accessModes', 'at least 1 access mode is required'));
    for (const m of modes) if (!(ACCESS_MODES as readonly string[]).includes(m)) errs.push(notSupported('spec.accessModes', m, ACCESS_MODES));
    if (modes.includes('ReadWriteOncePod') && modes.length > 1) errs.push(forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
    const storage = s.resources?.requests?.storage;
    if (storage === undefined) errs.push(required('spec.resources[storage]'));
    else {
      const n = parseQuantity(storage);
      if (Number.isNaN(n)) errs.push(invalid('spec.resources.requests[storage]', String(storage), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
      else if (n <= 0) errs.push(invalid('spec.resources[storage]', String(storage), 'must be greater than zero'));
    }
    if (s.volumeMode !== undefined && s.volumeMode !== 'Filesystem' && s.volumeMode !== 'Block') errs.push(notSupported('spec.volumeMode', s.volumeMode, ['Block', 'Filesystem']));
    return errs;
  },
  validateUpdate(obj, old, ctx) {
    const errs = pvcStrategy.validate(obj, ctx);
    const a = cloneApi(obj.spec ?? {});
    const b = cloneApi(old.spec ?? {});
    // Expansion (bound claims) and binding (volumeName set once) are the allowed changes.
    if (a.resources?.requests) delete a.resources.requests.storage;
    if (b.resources?.requests) delete b.resources.requests.storage;
    delete a.volumeAttributesClassName;
    delete b.volumeAttributesClassName;
    if (!old.spec?.volumeName) delete a.volumeName;
    // storageClassName may go from unset to a value (ValidatePersistentVolumeClaimUpdate):
    // validateStorageClassUpgradeFromAnnotation — the value the beta annotation already names —
    // and validateStorageClassUpgradeFromNil — any non-empty class when no annotation is set,
    // the retroactive default StorageClass assignment (GA in 1.28, always on since 1.29).
    const oldAnnotation = old.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
    if (b.storageClassName == null && typeof a.storageClassName === 'string' && a.storageClassName !== ''
      && (oldAnnotation === undefined || a.storageClassName === oldAnnotation)) {
      delete a.storageClassName;
      delete b.storageClassName;
    }
    if (!deepEqual(a, b)) {
      errs.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
    } else {
      const before = parseQuantity(old.spec?.resources?.requests?.storage);
      const after = parseQuantity(obj.spec?.resources?.requests?.storage);
      if (after !== before) {
        if (old.status?.phase !== 'Bound') errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
        else if (after < before) errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
      }
    }
    return errs;
  },
};

export const storageClassStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: false,
  statusSubresource: false,
  defaults(obj) {
    obj.reclaimPolicy ??= 'Delete';
    obj.volumeBindingMode ??= 'Immediate';
  },
  validate(obj) {
    const errs: FieldError[] = [];
    if (!obj.provisioner) errs.push(required('provisioner'));
    if (!['Delete', 'Retain', 'Recycle'].includes(obj.reclaimPolicy)) errs.push(notSupported('reclaimPolicy', obj.reclaimPolicy, ['Delete', 'Retain']));
    if (!['Immediate', 'WaitForFirstConsumer'].includes(obj.volumeBindingMode)) errs.push(notSupported('volumeBindingMode', obj.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
    return errs;
  },
  validateUpdate(obj, old, ctx) {
    const errs = storageClassStrategy.validate(obj, ctx);
    for (const f of ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode']) {
      if (!deepEqual(obj[f], old[f])) errs.push(forbidden(f, 'updates to ' + f + ' are forbidden.'));
    }
    return errs;
  },
};
