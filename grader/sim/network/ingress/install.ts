/**
 * ingress-nginx as kind's provider manifest installs it (ingress-nginx deploy/static/provider/
 * kind/deploy.yaml, generated from hack/manifest-templates/provider/kind/values.yaml): namespace
 * ingress-nginx, IngressClass `nginx` (controller k8s.io/ingress-nginx, not marked default), the
 * controller Deployment pinned by nodeSelector ingress-ready=true to the control-plane node
 * (tolerating its taint) with hostPorts 80/443, and Service ingress-nginx-controller (NodePort).
 * Objects go through the apiserver like any other; the admission webhook is left out.
 */
import type { KubeObject } from '../../api/types.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import type { ImageSpec } from '../../images/types.ts';
import { CONTROLLER_CLASS, INGRESS_CLASS_NAME } from './classes.ts';
import { nginxPage } from './pages.ts';

export const INGRESS_NAMESPACE = 'ingress-nginx';
export const CONTROLLER_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.11.2';
export const CONTROLLER_LABELS = {
  'app.kubernetes.io/component': 'controller',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/name': 'ingress-nginx',
} as const;

/** The controller image: nginx on 80/443, the webhook on 8443, /healthz on 10254. */
export const controllerImage: ImageSpec = {
  names: ['registry.k8s.io/ingress-nginx/controller'],
  description: 'ingress-nginx controller (routing is modelled by grader/sim/network/ingress)',
  listeners: () => [
    { port: 80, protocol: 'TCP', app: 'http' },
    { port: 443, protocol: 'TCP', app: 'https' },
    { port: 8443, protocol: 'TCP', app: 'https' },
    { port: 10254, protocol: 'TCP', app: 'http' },
  ],
  http: (_c, req) => (req.port === 10254 && req.path.startsWith('/healthz') ? { status: 200, body: 'ok' } : { status: 404, headers: { 'content-type': 'text/html' }, body: nginxPage(404) }),
};

export function ingressNginxObjects(): KubeObject[] {
  const labels = { 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/part-of': 'ingress-nginx', 'app.kubernetes.io/version': '1.11.2' };
  const ns = INGRESS_NAMESPACE;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ingress-nginx', namespace: ns, labels: { ...labels, 'app.kubernetes.io/component': 'controller' } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ingress-nginx-controller', namespace: ns, labels: { ...labels, 'app.kubernetes.io/component': 'controller' } }, data: { 'allow-snippet-annotations': 'false' } },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
      metadata: { name: INGRESS_CLASS_NAME, labels: { ...labels, 'app.kubernetes.io/component': 'controller' } },
      spec: { controller: CONTROLLER_CLASS },
    },
    {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'ingress-nginx-controller', namespace: ns, labels: { ...labels, 'app.kubernetes.io/component': 'controller' } },
      spec: {
        type: 'NodePort', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', appProtocol: 'http' },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https' },
        ],
        selector: { ...CONTROLLER_LABELS },
      },
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'ingress-nginx-controller', namespace: ns, labels: { ...labels, 'app.kubernetes.io/component': 'controller' } },
      spec: {
        replicas: 1,
        minReadySeconds: 0,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { ...CONTROLLER_LABELS } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels: { ...labels, 'app.kubernetes.io/component': 'controller' } },
          spec: {
            containers: [{
              name: 'controller',
              image: CONTROLLER_IMAGE,
              args: [
                '/nginx-ingress-controller', '--election-id=ingress-nginx-leader', `--controller-class=${CONTROLLER_CLASS}`,
                `--ingress-class=${INGRESS_CLASS_NAME}`, '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller',
                '--watch-ingress-without-class=true', '--publish-status-address=localhost',
              ],
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              ],
              ports: [
                { name: 'http', containerPort: 80, hostPort: 80, protocol: 'TCP' },
                { name: 'https', containerPort: 443, hostPort: 443, protocol: 'TCP' },
                { name: 'webhook', containerPort: 8443, protocol: 'TCP' },
              ],
              readinessProbe: { httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
              livenessProbe: { httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 5 },
            }],
            dnsPolicy: 'ClusterFirst',
            nodeSelector: { 'ingress-ready': 'true', 'kubernetes.io/os': 'linux' },
            serviceAccountName: 'ingress-nginx',
            terminationGracePeriodSeconds: 0,
            tolerations: [
              { effect: 'NoSchedule', key: 'node-role.kubernetes.io/master', operator: 'Equal' },
              { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane', operator: 'Equal' },
            ],
          },
        },
      },
    },
  ];
}

/** Create the objects; returns what the apiserver refused (a broken install must be visible in tests). */
export function installIngressNginx(ctx: ClusterContext): string[] {
  const problems: string[] = [];
  for (const o of ingressNginxObjects()) {
    if (ctx.store.get(o.kind, o.metadata.namespace, o.metadata.name)) continue;
    try {
      ctx.api.create(o);
    } catch (err) {
      problems.push(`${o.kind} ${o.metadata.name}: ${(err as Error).message}`);
    }
  }
  return problems;
}
