/**
 * Objects the tests add next to a corpus group, only where the INDEX's expectation needs
 * something the group does not ship: the Secret a tutorial tells you to create, and
 * backends for Ingress examples so their routing can be observed.
 */
import type { KubeObject } from '../../api/types.ts';

export const WEBSITE = 'kubernetes__website/content/en/examples';
export const EXAMPLES = 'kubernetes__examples';
export const INGRESS_NGINX = 'kubernetes__ingress-nginx/docs/examples';
export const METALLB = 'metallb__metallb/configsamples';

/** The kind cluster of the INDEX: plain kind (no LB implementation, no ingress controller). */
export const PLAIN = { ingress: false, pool: false } as const;
export const WITH_POOL = { ingress: false, pool: true } as const;
export const WITH_INGRESS = { ingress: true, pool: false } as const;

/** The simulator's default pool (SimCluster DEFAULT_CLUSTER_CONFIG.loadBalancerPool). */
export const POOL = { first: '172.18.255.200', last: '172.18.255.250' } as const;

export function secret(name: string, data: Record<string, string>, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', stringData: data };
}

/**
 * A Deployment of traefik/whoami (port 80) and a Service `name` exposing it on each of
 * `ports` (several ports get names, as validation requires). Pods carry `backend: <name>`.
 */
export function whoamiBackend(name: string, ports: number[], namespace = 'default'): KubeObject[] {
  const labels = { backend: name };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `${name}-backend`, namespace },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'whoami', image: 'traefik/whoami:v1.10', ports: [{ containerPort: 80 }] }] } },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: {
        selector: labels,
        ports: ports.map((port) => ({ ...(ports.length > 1 ? { name: `p${port}` } : {}), port, targetPort: 80 })),
      },
    },
  ];
}

/**
 * MetalLB's two CRDs as metallb-native.yaml registers them (schema reduced to
 * preserve-unknown-fields), plus its namespace: what "with the MetalLB CRDs" means.
 */
export function metallbCrds(): KubeObject[] {
  const crd = (kind: string, plural: string): KubeObject => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.metallb.io` },
    spec: {
      group: 'metallb.io',
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: [{ name: 'v1beta1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'metallb-system' } },
    crd('IPAddressPool', 'ipaddresspools'),
    crd('L2Advertisement', 'l2advertisements'),
  ];
}
