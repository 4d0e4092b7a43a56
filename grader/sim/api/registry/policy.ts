/**
 * policy/v1 PodDisruptionBudget: PrepareForCreate resets status (its counts are not omitempty,
 * so a new PDB shows zeros until the disruption controller syncs it), and validation from
 * pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec: minAvailable and maxUnavailable
 * are exclusive, each a non-negative int or a percentage of at most 100%, and the selector valid.
 * Sources: pkg/registry/policy/poddisruptionbudget/strategy.go, pkg/apis/policy/validation/validation.go.
 */
import type { KubeObject } from '../types.ts';
import { type FieldError, GoLiteral, Path, invalid, notSupported } from '../validation/field.ts';
import { validateLabelSelector } from '../validation/meta.ts';
import { nameIsDNSSubdomain } from '../validation/names.ts';
import { intOrPercent } from './apps.ts';
import type { Strategy } from './strategy.ts';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'] as const;

function validatePdb(obj: KubeObject): FieldError[] {
  const s = obj.spec ?? {};
  const errs: FieldError[] = [];
  const set = (v: unknown) => v !== undefined && v !== null;
  if (set(s.minAvailable) && set(s.maxUnavailable)) {
    // field.Invalid(fldPath, spec, …) prints the internal struct with %#v: pointers as addresses.
    const ptr = (v: unknown, type: string, addr: string) => (set(v) ? `(${type})(${addr})` : `(${type})(nil)`);
    errs.push(invalid('spec', new GoLiteral(`policy.PodDisruptionBudgetSpec{MinAvailable:${ptr(s.minAvailable, '*intstr.IntOrString', '0xc000a1c0a0')}, Selector:${ptr(s.selector, '*v1.LabelSelector', '0xc000a1c0c0')}, MaxUnavailable:${ptr(s.maxUnavailable, '*intstr.IntOrString', '0xc000a1c0b0')}, UnhealthyPodEvictionPolicy:${ptr(s.unhealthyPodEvictionPolicy, '*policy.UnhealthyPodEvictionPolicyType', '0xc000a1c0d0')}}`), 'minAvailable and maxUnavailable cannot be both set'));
  }
  if (set(s.minAvailable)) errs.push(...intOrPercent(s.minAvailable, 'spec.minAvailable'));
  if (set(s.maxUnavailable)) errs.push(...intOrPercent(s.maxUnavailable, 'spec.maxUnavailable'));
  if (set(s.selector)) errs.push(...validateLabelSelector(s.selector, new Path('spec').child('selector')));
  if (set(s.unhealthyPodEvictionPolicy) && !(EVICTION_POLICIES as readonly string[]).includes(s.unhealthyPodEvictionPolicy)) {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', s.unhealthyPodEvictionPolicy, EVICTION_POLICIES));
  }
  return errs;
}

export const podDisruptionBudgetStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: true,
  statusSubresource: true,
  prepareForCreate(obj) {
    obj.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  validate: validatePdb,
};
