/**
 * Which Ingresses this ingress-nginx handles, as kind's provider manifest runs it:
 * `--controller-class=k8s.io/ingress-nginx --ingress-class=nginx --watch-ingress-without-class=true`
 * (ingress-nginx hack/manifest-templates/provider/kind/values.yaml: watchIngressWithoutClass: true).
 * - spec.ingressClassName must name an IngressClass whose spec.controller is k8s.io/ingress-nginx;
 * - the deprecated annotation kubernetes.io/ingress.class must equal `nginx`;
 * - an Ingress with neither is handled too (watch-ingress-without-class). A default IngressClass
 *   is filled in by the apiserver's admission, not here.
 */
import type { ObjectStore } from '../../api/store.ts';
import type { Ingress } from '../../api/types.ts';

export const CONTROLLER_CLASS = 'k8s.io/ingress-nginx';
export const INGRESS_CLASS_NAME = 'nginx';
export const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export interface ClassOptions {
  watchIngressWithoutClass: boolean;
}

export const KIND_CLASS_OPTIONS: ClassOptions = { watchIngressWithoutClass: true };

export function handledBy(ing: Ingress, store: ObjectStore, opts: ClassOptions = KIND_CLASS_OPTIONS): { ok: boolean; why: string } {
  const ann = ing.metadata.annotations?.[CLASS_ANNOTATION];
  if (ann !== undefined) {
    return ann === INGRESS_CLASS_NAME
      ? { ok: true, why: `annotation ${CLASS_ANNOTATION}: ${ann}` }
      : { ok: false, why: `annotation ${CLASS_ANNOTATION}: "${ann}" is not "${INGRESS_CLASS_NAME}"` };
  }
  const cls = ing.spec?.ingressClassName;
  if (cls) {
    const ic = store.get('IngressClass', undefined, cls);
    if (!ic) return { ok: false, why: `ingressClassName "${cls}" names no IngressClass` };
    if (ic.spec?.controller !== CONTROLLER_CLASS) return { ok: false, why: `IngressClass "${cls}" belongs to controller ${ic.spec?.controller ?? '(none)'}, not ${CONTROLLER_CLASS}` };
    return { ok: true, why: `ingressClassName: ${cls}` };
  }
  return opts.watchIngressWithoutClass
    ? { ok: true, why: 'no class; kind\'s ingress-nginx runs with --watch-ingress-without-class=true' }
    : { ok: false, why: 'no ingressClassName and no default IngressClass' };
}
