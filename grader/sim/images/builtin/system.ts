/** The images of kind's own pods and of the add-ons the simulator installs, so system pods run. */
import type { ImageSpec } from '../types.ts';
import { html, serverImage, tcp, text } from './factories.ts';

const quiet = (names: string[], description: string, ports: number[] = []): ImageSpec =>
  serverImage({ names, description, listeners: () => ports.map((p) => tcp(p, 'tcp')) });

export const systemImages: ImageSpec[] = [
  serverImage({
    names: ['registry.k8s.io/coredns/coredns', 'k8s.gcr.io/coredns/coredns', 'coredns/coredns', 'registry.k8s.io/coredns'],
    description: 'CoreDNS: DNS on 53 UDP/TCP, /health on 8080, /ready on 8181, metrics on 9153',
    daemons: ['coredns'],
    listeners: () => [
      { port: 53, protocol: 'UDP', app: 'dns' },
      { port: 53, protocol: 'TCP', app: 'dns' },
      tcp(8080),
      tcp(8181),
      tcp(9153),
    ],
    http: (_c, req) => {
      const path = req.path.split('?')[0];
      if (path === '/health' || path === '/ready') return text(200, 'OK');
      if (path === '/metrics') return text(200, '# HELP coredns_build_info A metric with a constant \'1\' value.\n');
      return text(404, '404 page not found\n');
    },
  }),
  serverImage({
    names: ['registry.k8s.io/ingress-nginx/controller', 'k8s.gcr.io/ingress-nginx/controller', 'quay.io/kubernetes-ingress-controller/nginx-ingress-controller'],
    description: 'ingress-nginx controller: HTTP 80, HTTPS 443, health /healthz on 10254, admission webhook 8443',
    daemons: ['nginx-ingress-controller', 'dumb-init'],
    listeners: () => [tcp(80), tcp(443, 'https'), tcp(10254), tcp(8443, 'https')],
    http: (_c, req) => {
      if (req.port === 10254) return text(req.path.startsWith('/healthz') ? 200 : 404, req.path.startsWith('/healthz') ? 'ok' : '404 page not found\n');
      return html(404, '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n');
    },
  }),
  serverImage({
    names: ['registry.k8s.io/ingress-nginx/kube-webhook-certgen', 'k8s.gcr.io/ingress-nginx/kube-webhook-certgen'],
    description: 'ingress-nginx admission certificate job: creates a Secret and exits',
    listeners: () => [],
    completes: () => true,
  }),
  quiet(['registry.k8s.io/kube-proxy', 'k8s.gcr.io/kube-proxy'], 'kube-proxy (host network; health 10256)', [10256]),
  quiet(['kindest/kindnetd', 'docker.io/kindest/kindnetd'], "kindnet, kind's CNI agent"),
  quiet(['kindest/local-path-provisioner', 'rancher/local-path-provisioner'], 'local-path-provisioner: provisions node-local PersistentVolumes'),
  quiet(['registry.k8s.io/pause', 'k8s.gcr.io/pause'], 'the pod sandbox image: sleeps forever'),
  quiet(['quay.io/metallb/controller', 'metallb/controller'], 'MetalLB controller: assigns LoadBalancer IPs', [7472]),
  quiet(['quay.io/metallb/speaker', 'metallb/speaker'], 'MetalLB speaker: announces LoadBalancer IPs (L2)', [7472, 7946]),
  quiet(['registry.k8s.io/cloud-provider-kind/cloud-controller-manager', 'kindest/cloud-provider-kind'], 'Cloud Provider KIND'),
  quiet(['registry.k8s.io/metrics-server/metrics-server'], 'metrics-server (port 10250)', [10250]),
  quiet(['registry.k8s.io/etcd', 'registry.k8s.io/kube-apiserver', 'registry.k8s.io/kube-controller-manager', 'registry.k8s.io/kube-scheduler'], 'control-plane static pod images'),
];
