/**
 * Pods: defaults (SetDefaults_Pod/PodSpec), PrepareForCreate (status Pending with its QoS
 * class; pkg/registry/core/pod/strategy.go), validation (ValidatePodCreate/ValidatePodUpdate).
 * Update is narrow, as upstream: images, tolerations additions, activeDeadlineSeconds,
 * terminationGracePeriodSeconds; setting spec.nodeName once stands for the pods/binding
 * subresource the scheduler uses.
 */
import { cloneApi } from '../clone.ts';
import type { KubeObject, Pod } from '../types.ts';
import { type FieldError, Path, forbidden } from '../validation/field.ts';
import { nameIsDNSSubdomain } from '../validation/names.ts';
import { validatePodSpec } from '../validation/pod.ts';
import { deepEqual } from '../apply/merge.ts';
import { defaultPodSpec, qosClass } from './podspec-defaults.ts';
import type { Strategy } from './strategy.ts';

const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** The spec with every field an update may change blanked out, for comparison. */
function frozenPart(spec: any, old: any): any {
  const s = cloneApi(spec ?? {});
  for (const list of ['containers', 'initContainers'] as const) {
    (s[list] ?? []).forEach((c: any, i: number) => {
      c.image = old?.[list]?.[i]?.image;
    });
  }
  delete s.activeDeadlineSeconds;
  delete s.terminationGracePeriodSeconds;
  delete s.tolerations;
  if (!old?.nodeName) delete s.nodeName; // binding
  return s;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MUTABLE_SPEC_FIELDS = new Set(['activeDeadlineSeconds', 'terminationGracePeriodSeconds', 'tolerations']);

/**
 * `deepEqual(frozenPart(spec, old), old-with-mutable-fields-removed)` without the two deep
 * copies, for the usual shapes (both specs objects, container lists arrays of objects);
 * undefined for anything else, where the caller runs the copying version. Keys holding
 * undefined count as absent, as in deepEqual.
 */
function frozenEqual(spec: unknown, old: unknown): boolean | undefined {
  if (!isPlainObject(spec) || (old !== undefined && old !== null && !isPlainObject(old))) return undefined;
  const o: Record<string, unknown> = (old as Record<string, unknown> | null | undefined) ?? {};
  for (const list of ['containers', 'initContainers']) {
    const l = spec[list];
    if (l === undefined || l === null) continue;
    if (!Array.isArray(l) || !l.every(isPlainObject)) return undefined;
  }
  const skip = (k: string) => MUTABLE_SPEC_FIELDS.has(k) || (k === 'nodeName' && !o.nodeName);
  let count = 0;
  for (const k of Object.keys(spec)) {
    const v = spec[k];
    if (v === undefined || skip(k)) continue;
    count++;
    const ov = o[k];
    if (k === 'containers' || k === 'initContainers') {
      // Each item with its image taken from the old item at the same index: images may change.
      if (v === null) {
        if (!deepEqual(v, ov)) return false;
        continue;
      }
      const items = v as Record<string, unknown>[];
      if (!Array.isArray(ov) || ov.length !== items.length) return false;
      for (let i = 0; i < items.length; i++) if (!isPlainObject(ov[i]) || !equalExceptImage(items[i]!, ov[i] as Record<string, unknown>)) return false;
    } else if (!deepEqual(v, ov)) return false;
  }
  let oldCount = 0;
  for (const k of Object.keys(o)) if (o[k] !== undefined && !skip(k)) oldCount++;
  return count === oldCount;
}

function equalExceptImage(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let na = 0;
  for (const k of Object.keys(a)) {
    if (k === 'image' || a[k] === undefined) continue;
    na++;
    if (!deepEqual(a[k], b[k])) return false;
  }
  let nb = 0;
  for (const k of Object.keys(b)) if (k !== 'image' && b[k] !== undefined) nb++;
  return na === nb;
}

export const podStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: false,
  statusSubresource: true,
  defaults(obj) {
    obj.spec ??= {};
    defaultPodSpec(obj.spec);
    obj.spec.enableServiceLinks ??= true;
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending', qosClass: qosClass(obj.spec) };
  },
  validate(obj) {
    return validatePodSpec((obj as Pod).spec, new Path('spec'));
  },
  validateUpdate(obj, old) {
    const errs: FieldError[] = validatePodSpec((obj as Pod).spec, new Path('spec'));
    const o = (old as Pod).spec as any;
    const n = (obj as Pod).spec as any;
    const tolerationsKept = (o?.tolerations ?? []).every((t: unknown) => (n?.tolerations ?? []).some((x: unknown) => deepEqual(x, t)));
    let frozenSame = frozenEqual(n, o);
    if (frozenSame === undefined) {
      const oldFrozen = cloneApi(o ?? {});
      delete oldFrozen.activeDeadlineSeconds;
      delete oldFrozen.terminationGracePeriodSeconds;
      delete oldFrozen.tolerations;
      if (!o?.nodeName) delete oldFrozen.nodeName;
      frozenSame = deepEqual(frozenPart(n, o), oldFrozen);
    }
    if (!frozenSame || !tolerationsKept) errs.push(forbidden('spec', POD_UPDATE_FORBIDDEN));
    return errs;
  },
};

export function isPod(obj: KubeObject): obj is Pod {
  return obj.kind === 'Pod';
}
