/**
 * Pods: defaults (SetDefaults_Pod/PodSpec), PrepareForCreate (status Pending with its QoS
 * class; pkg/registry/core/pod/strategy.go), validation (ValidatePodCreate/ValidatePodUpdate).
 * Update is narrow, as upstream: images, tolerations additions, activeDeadlineSeconds,
 * terminationGracePeriodSeconds; setting spec.nodeName once stands for the pods/binding
 * subresource the scheduler uses.
 */
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
  const s = structuredClone(spec ?? {});
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
    const oldFrozen = structuredClone(o ?? {});
    delete oldFrozen.activeDeadlineSeconds;
    delete oldFrozen.terminationGracePeriodSeconds;
    delete oldFrozen.tolerations;
    if (!o?.nodeName) delete oldFrozen.nodeName;
    const tolerationsKept = (o?.tolerations ?? []).every((t: unknown) => (n?.tolerations ?? []).some((x: unknown) => deepEqual(x, t)));
    if (!deepEqual(frozenPart(n, o), oldFrozen) || !tolerationsKept) errs.push(forbidden('spec', POD_UPDATE_FORBIDDEN));
    return errs;
  },
};

export function isPod(obj: KubeObject): obj is Pod {
  return obj.kind === 'Pod';
}
