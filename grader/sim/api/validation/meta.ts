/**
 * ObjectMeta, labels, annotations and label selectors, as
 * k8s.io/apimachinery/pkg/api/validation/objectmeta.go and pkg/apis/meta/v1/validation check them.
 */
import type { KubeObject, LabelSelector } from '../types.ts';
import { type FieldError, Path, forbidden, invalid, required, tooLong } from './field.ts';
import { type NameValidator, isDNS1123Label, isQualifiedName, isValidLabelValue } from './names.ts';

/** metav1 validation.TotalAnnotationSizeLimitB: 256 KiB for all annotation keys and values. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export function validateLabels(labels: Record<string, string> | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalid(path.text, k, m));
    for (const m of isValidLabelValue(String(v))) errs.push(invalid(path.text, v, m));
  }
  return errs;
}

export function validateAnnotations(ann: Record<string, string> | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(ann ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(path.text, k, m));
    size += k.length + String(v).length;
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path.text, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

export function validateObjectMeta(obj: KubeObject, namespaced: boolean, nameFn: NameValidator, path = new Path('metadata')): FieldError[] {
  const meta = obj.metadata;
  const errs: FieldError[] = [];
  if (meta.generateName) for (const m of nameFn(meta.generateName, true)) errs.push(invalid(path.child('generateName').text, meta.generateName, m));
  if (!meta.name) errs.push(required(path.child('name').text, 'name or generateName is required'));
  else for (const m of nameFn(meta.name, false)) errs.push(invalid(path.child('name').text, meta.name, m));
  if (namespaced) {
    if (!meta.namespace) errs.push(required(path.child('namespace').text));
    else for (const m of isDNS1123Label(meta.namespace)) errs.push(invalid(path.child('namespace').text, meta.namespace, m));
  } else if (meta.namespace) {
    errs.push(forbidden(path.child('namespace').text, 'not allowed on this type'));
  }
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  for (const [i, f] of (meta.finalizers ?? []).entries()) {
    for (const m of isQualifiedName(f)) errs.push(invalid(path.child('finalizers').index(i).text, f, m));
  }
  return errs;
}

/** For templates: only labels and annotations are checked (the template has no name). */
export function validateTemplateMeta(meta: { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined, path: Path): FieldError[] {
  return [...validateLabels(meta?.labels, path.child('labels')), ...validateAnnotations(meta?.annotations, path.child('annotations'))];
}

export function validateLabelSelector(sel: LabelSelector | undefined, path: Path): FieldError[] {
  if (!sel) return [];
  const errs: FieldError[] = [];
  (sel.matchExpressions ?? []).forEach((e, i) => {
    const p = path.child('matchExpressions').index(i);
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (!e.values || e.values.length === 0) errs.push(required(p.child('values').text, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (e.values && e.values.length > 0) errs.push(forbidden(p.child('values').text, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalid(p.child('operator').text, e.operator, 'not a valid selector operator'));
    }
    for (const m of isQualifiedName(String(e.key ?? ''))) errs.push(invalid(p.child('key').text, e.key, m));
    for (const v of e.values ?? []) for (const m of isValidLabelValue(String(v))) errs.push(invalid(p.child('values').text, v, m));
  });
  errs.push(...validateLabels(sel.matchLabels, path.child('matchLabels')));
  return errs;
}

export function validateNonnegative(v: unknown, path: Path): FieldError[] {
  return typeof v === 'number' && v < 0 ? [invalid(path.text, v, 'must be greater than or equal to 0')] : [];
}
