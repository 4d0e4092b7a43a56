/**
 * apps/v1 workloads: defaults from pkg/apis/apps/v1/defaults.go, validation from
 * pkg/apis/apps/validation/validation.go, and the strategies' update rules
 * (pkg/registry/apps/<kind>/strategy.go: the selector is immutable in apps/v1; a StatefulSet
 * may change only a handful of spec fields).
 */
import type { KubeObject, LabelSelector } from '../types.ts';
import { selectorMatches } from '../types.ts';
import { type FieldError, Path, forbidden, goLabelSelector, goStringMap, GoLiteral, invalid, notSupported, required } from '../validation/field.ts';
import { validateLabelSelector, validateLabels, validateAnnotations, validateNonnegative } from '../validation/meta.ts';
import { validatePodTemplateSpec } from '../validation/pod.ts';
import { nameIsDNSSubdomain } from '../validation/names.ts';
import { defaultPodSpec } from './podspec-defaults.ts';
import type { Strategy } from './strategy.ts';
import { deepEqual } from '../apply/merge.ts';

const spec = new Path('spec');

function selectorErrors(sel: LabelSelector | undefined, kindWord: string): FieldError[] {
  if (sel === undefined || sel === null) return [required('spec.selector')];
  const errs = validateLabelSelector(sel, spec.child('selector'));
  if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0) {
    errs.push(invalid('spec.selector', goLabelSelector(sel), `empty selector is invalid for ${kindWord}`));
  }
  return errs;
}

/**
 * labels.Selector semantics: a nil selector is labels.Nothing() (never empty, matches nothing),
 * an empty one is Everything() (empty: the match check is skipped).
 */
function templateLabelErrors(sel: LabelSelector | undefined, tplLabels: Record<string, string> | undefined): FieldError[] {
  const empty = sel && Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
  if (empty) return [];
  if (sel && selectorMatches(sel, tplLabels)) return [];
  return [invalid('spec.template.metadata.labels', new GoLiteral(goStringMap(tplLabels ?? null)), '`selector` does not match template `labels`')];
}

/** ValidatePodTemplateSpecForReplicaSet (also used by Deployments and DaemonSets). */
function templateForReplicaSet(obj: KubeObject): FieldError[] {
  const s = obj.spec ?? {};
  if (!s.template) return [required('spec.template')];
  const errs = templateLabelErrors(s.selector, s.template.metadata?.labels);
  errs.push(...validatePodTemplateSpec(s.template, spec.child('template')));
  const rp = s.template.spec?.restartPolicy;
  if (rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp ?? '', ['Always']));
  if (s.template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${obj.kind} is not Supported`));
  }
  return errs;
}

function selectorImmutable(obj: KubeObject, old: KubeObject): FieldError[] {
  return deepEqual(obj.spec?.selector, old.spec?.selector) ? [] : [invalid('spec.selector', goLabelSelector(obj.spec?.selector), 'field is immutable')];
}

function defaultTemplate(obj: KubeObject): void {
  obj.spec ??= {};
  if (obj.spec.template && typeof obj.spec.template === 'object') {
    obj.spec.template.metadata ??= {};
    if (obj.spec.template.spec) defaultPodSpec(obj.spec.template.spec);
  }
}

/** IntOrString percentages/ints for maxSurge and maxUnavailable. */
export function intOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'number') return validateNonnegative(v, new Path(path));
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    if (!m) return [invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    if (Number(m[1]) > 100) return [invalid(path, v, 'must not be greater than 100%')];
    return [];
  }
  return [invalid(path, v, 'must be an integer or percentage (e.g \'5%\')')];
}
const isZero = (v: unknown): boolean => v === 0 || v === '0%';

/** maxUnavailable/maxSurge of a Deployment or DaemonSet rolling update (apps validation ValidateRollingUpdate*). */
function rollingUpdateErrors(ru: { maxUnavailable?: unknown; maxSurge?: unknown }, path: string): FieldError[] {
  const errs = [...intOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`), ...intOrPercent(ru.maxSurge, `${path}.maxSurge`)];
  if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
    errs.push(invalid(`${path}.maxUnavailable`, ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  return errs;
}

export const deploymentStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: true,
  statusSubresource: true,
  defaults(obj) {
    defaultTemplate(obj);
    const s = obj.spec;
    s.replicas ??= 1;
    s.strategy ??= {};
    s.strategy.type ??= 'RollingUpdate';
    if (s.strategy.type === 'RollingUpdate') {
      s.strategy.rollingUpdate ??= {};
      s.strategy.rollingUpdate.maxUnavailable ??= '25%';
      s.strategy.rollingUpdate.maxSurge ??= '25%';
    }
    s.revisionHistoryLimit ??= 10;
    s.progressDeadlineSeconds ??= 600;
  },
  prepareForCreate(obj) {
    obj.status = {};
  },
  validate(obj) {
    const s = obj.spec ?? {};
    const errs: FieldError[] = [...validateNonnegative(s.replicas, spec.child('replicas')), ...selectorErrors(s.selector, 'deployment')];
    errs.push(...templateForReplicaSet(obj));
    const st = s.strategy ?? {};
    if (st.type !== 'Recreate' && st.type !== 'RollingUpdate') errs.push(notSupported('spec.strategy.type', st.type ?? '', ['Recreate', 'RollingUpdate']));
    if (st.type === 'Recreate' && st.rollingUpdate) errs.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    if (st.type === 'RollingUpdate' && st.rollingUpdate) errs.push(...rollingUpdateErrors(st.rollingUpdate, 'spec.strategy.rollingUpdate'));
    errs.push(...validateNonnegative(s.minReadySeconds, spec.child('minReadySeconds')));
    errs.push(...validateNonnegative(s.revisionHistoryLimit, spec.child('revisionHistoryLimit')));
    if (typeof s.progressDeadlineSeconds === 'number' && s.progressDeadlineSeconds <= (s.minReadySeconds ?? 0)) {
      errs.push(invalid('spec.progressDeadlineSeconds', s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
    return errs;
  },
  validateUpdate(obj, old, ctx) {
    return [...deploymentStrategy.validate(obj, ctx), ...selectorImmutable(obj, old)];
  },
};

export const replicaSetStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: true,
  statusSubresource: true,
  defaults(obj) {
    defaultTemplate(obj);
    obj.spec.replicas ??= 1;
  },
  prepareForCreate(obj) {
    obj.status = { replicas: 0 };
  },
  validate(obj) {
    const s = obj.spec ?? {};
    // Upstream says "for deployment" here too (ValidateReplicaSetSpec reuses the message).
    return [...validateNonnegative(s.replicas, spec.child('replicas')), ...selectorErrors(s.selector, 'deployment'), ...templateForReplicaSet(obj)];
  },
  validateUpdate(obj, old, ctx) {
    return [...replicaSetStrategy.validate(obj, ctx), ...selectorImmutable(obj, old)];
  },
};

/** Fields a StatefulSet update may change (ValidateStatefulSetUpdate, 1.31). */
const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export const statefulSetStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: true,
  statusSubresource: true,
  defaults(obj) {
    defaultTemplate(obj);
    const s = obj.spec;
    s.replicas ??= 1;
    s.podManagementPolicy ??= 'OrderedReady';
    s.updateStrategy ??= {};
    s.updateStrategy.type ??= 'RollingUpdate';
    if (s.updateStrategy.type === 'RollingUpdate') {
      s.updateStrategy.rollingUpdate ??= {};
      s.updateStrategy.rollingUpdate.partition ??= 0;
    }
    s.revisionHistoryLimit ??= 10;
    s.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
    for (const t of s.volumeClaimTemplates ?? []) {
      if (t && typeof t === 'object') {
        t.apiVersion ??= 'v1';
        t.kind ??= 'PersistentVolumeClaim';
        t.spec ??= {};
        t.spec.volumeMode ??= 'Filesystem';
      }
    }
  },
  prepareForCreate(obj) {
    obj.status = { replicas: 0, availableReplicas: 0 };
  },
  validate(obj) {
    const s = obj.spec ?? {};
    const errs: FieldError[] = [];
    const pmp = s.podManagementPolicy;
    if (!pmp) errs.push(required('spec.podManagementPolicy'));
    else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(invalid('spec.podManagementPolicy', pmp, "must be 'OrderedReady' or 'Parallel'"));
    const us = s.updateStrategy ?? {};
    if (!us.type) errs.push(required('spec.updateStrategy'));
    else if (us.type === 'OnDelete' && us.rollingUpdate) {
      errs.push(invalid('spec.updateStrategy.rollingUpdate', us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
    } else if (us.type === 'RollingUpdate') {
      errs.push(...validateNonnegative(us.rollingUpdate?.partition, new Path('spec.updateStrategy.rollingUpdate.partition')));
    } else if (us.type !== 'OnDelete') {
      errs.push(invalid('spec.updateStrategy', us, "must be 'RollingUpdate' or 'OnDelete'"));
    }
    errs.push(...validateNonnegative(s.replicas, spec.child('replicas')));
    errs.push(...validateNonnegative(s.minReadySeconds, spec.child('minReadySeconds')));
    errs.push(...selectorErrors(s.selector, 'statefulset'));
    // ValidatePodTemplateSpecForStatefulSet checks the labels only: the pod spec itself is
    // validated when the controller creates each pod (upstream TODO, kept on purpose).
    if (!s.template) errs.push(required('spec.template'));
    else {
      errs.push(...templateLabelErrors(s.selector, s.template.metadata?.labels));
      errs.push(...validateLabels(s.template.metadata?.labels, new Path('spec.template.labels')));
      errs.push(...validateAnnotations(s.template.metadata?.annotations, new Path('spec.template.annotations')));
    }
    const rp = s.template?.spec?.restartPolicy;
    if (rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp ?? '', ['Always']));
    return errs;
  },
  validateUpdate(obj, old, ctx) {
    const errs = statefulSetStrategy.validate(obj, ctx);
    const a = { ...(obj.spec ?? {}) };
    const b = { ...(old.spec ?? {}) };
    for (const f of STS_MUTABLE) {
      delete a[f];
      delete b[f];
    }
    if (deepEqual(a, b)) return errs;
    return [...errs, forbidden('spec', `updates to statefulset spec for fields other than ${STS_MUTABLE.slice(0, -1).map((f) => `'${f}'`).join(', ')} and '${STS_MUTABLE.at(-1)}' are forbidden`)];
  },
};

export const daemonSetStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: true,
  statusSubresource: true,
  defaults(obj) {
    defaultTemplate(obj);
    const s = obj.spec;
    s.updateStrategy ??= {};
    s.updateStrategy.type ??= 'RollingUpdate';
    if (s.updateStrategy.type === 'RollingUpdate') {
      s.updateStrategy.rollingUpdate ??= {};
      s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
      s.updateStrategy.rollingUpdate.maxSurge ??= 0;
    }
    s.revisionHistoryLimit ??= 10;
  },
  prepareForCreate(obj) {
    obj.status = { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
  },
  validate(obj) {
    const s = obj.spec ?? {};
    const errs = [...selectorErrors(s.selector, 'daemonset'), ...templateForReplicaSet(obj)];
    const us = s.updateStrategy ?? {};
    if (us.type !== 'RollingUpdate' && us.type !== 'OnDelete') errs.push(notSupported('spec.updateStrategy.type', us.type ?? '', ['OnDelete', 'RollingUpdate']));
    if (us.type === 'RollingUpdate' && us.rollingUpdate) errs.push(...rollingUpdateErrors(us.rollingUpdate, 'spec.updateStrategy.rollingUpdate'));
    return errs;
  },
  validateUpdate(obj, old, ctx) {
    return [...daemonSetStrategy.validate(obj, ctx), ...selectorImmutable(obj, old)];
  },
};

/** core/v1 ReplicationController: map selector, defaulted from the template labels. */
export const replicationControllerStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: true,
  statusSubresource: true,
  defaults(obj) {
    defaultTemplate(obj);
    const s = obj.spec;
    const tplLabels = s.template?.metadata?.labels;
    // SetDefaults_ReplicationController: selector and labels come from the template when unset.
    if (tplLabels && (!s.selector || Object.keys(s.selector).length === 0)) s.selector = { ...tplLabels };
    if (tplLabels && (!obj.metadata.labels || Object.keys(obj.metadata.labels).length === 0)) obj.metadata.labels = { ...tplLabels };
    s.replicas ??= 1;
  },
  prepareForCreate(obj) {
    obj.status = { replicas: 0 };
  },
  validate(obj) {
    const s = obj.spec ?? {};
    const errs: FieldError[] = [...validateNonnegative(s.replicas, spec.child('replicas'))];
    const sel: Record<string, string> | undefined = s.selector;
    if (!sel || Object.keys(sel).length === 0) errs.push(required('spec.selector'));
    else errs.push(...validateLabels(sel, spec.child('selector')));
    if (!s.template) errs.push(required('spec.template'));
    else {
      if (sel && Object.keys(sel).length > 0 && !selectorMatches({ matchLabels: sel }, s.template.metadata?.labels)) {
        errs.push(invalid('spec.template.metadata.labels', new GoLiteral(goStringMap(s.template.metadata?.labels ?? null)), '`selector` does not match template `labels`'));
      }
      errs.push(...validatePodTemplateSpec(s.template, spec.child('template')));
      const rp = s.template.spec?.restartPolicy;
      if (rp !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', rp ?? '', ['Always']));
    }
    return errs;
  },
};
