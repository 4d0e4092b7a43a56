/**
 * The ingress-nginx annotations the model gives behaviour to (kubernetes/ingress-nginx
 * docs/user-guide/nginx-configuration/annotations.md). Values are strings, as in the API;
 * anything else is kept on the object and ignored here.
 */
import type { Ingress } from '../../api/types.ts';

export const ANN = 'nginx.ingress.kubernetes.io/';

export interface CanaryConfig {
  header?: string;
  headerValue?: string;
  headerPattern?: string;
  cookie?: string;
  weight: number;
  weightTotal: number;
}

export interface IngressAnnotations {
  canary?: CanaryConfig;
  useRegex: boolean;
  rewriteTarget?: string;
  sslRedirect: boolean;
  forceSslRedirect: boolean;
  affinity?: { cookieName: string; cookiePath?: string };
}

const bool = (v: string | undefined, dflt: boolean) => (v === undefined ? dflt : v.trim().toLowerCase() === 'true');
const int = (v: string | undefined, dflt: number) => {
  const n = Number.parseInt(v ?? '', 10);
  return Number.isFinite(n) ? n : dflt;
};

export function annotationsOf(ing: Ingress): IngressAnnotations {
  const a = ing.metadata.annotations ?? {};
  const get = (k: string) => a[ANN + k];
  const out: IngressAnnotations = {
    useRegex: bool(get('use-regex'), false),
    rewriteTarget: get('rewrite-target') || undefined,
    sslRedirect: bool(get('ssl-redirect'), true),
    forceSslRedirect: bool(get('force-ssl-redirect'), false),
  };
  if (bool(get('canary'), false)) {
    out.canary = {
      header: get('canary-by-header') || undefined,
      headerValue: get('canary-by-header-value') || undefined,
      headerPattern: get('canary-by-header-pattern') || undefined,
      cookie: get('canary-by-cookie') || undefined,
      weight: int(get('canary-weight'), 0),
      weightTotal: int(get('canary-weight-total'), 100),
    };
  }
  if (get('affinity') === 'cookie') {
    out.affinity = { cookieName: get('session-cookie-name') || 'INGRESSCOOKIE', cookiePath: get('session-cookie-path') || undefined };
  }
  return out;
}
