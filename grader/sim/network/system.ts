/**
 * The networking add-ons a kind cluster runs in kube-system (created unless already there):
 * CoreDNS (Deployment `coredns`, 2 replicas, Service `kube-dns` on the configured DNS IP,
 * ConfigMap `coredns` with kubeadm's Corefile) and kube-proxy (DaemonSet, ConfigMap with the
 * mode). With a LoadBalancer pool, MetalLB's controller and speaker in metallb-system.
 * Sources: kubeadm cmd/kubeadm/app/phases/addons/{dns,proxy}/manifests.go; MetalLB
 * config/manifests/metallb-native.yaml.
 */
import type { KubeObject } from '../api/types.ts';
import type { ClusterConfig } from '../runtime/context.ts';

export function corefile(zone: string): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${zone} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${zone}
       disable denial ${zone}
    }
    loop
    reload
    loadbalance
}
`;
}

const CP_TOLERATIONS = [
  { key: 'CriticalAddonsOnly', operator: 'Exists' },
  { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
];

export function systemNetworkObjects(cfg: ClusterConfig): KubeObject[] {
  const v = cfg.kubernetesVersion;
  const dnsLabels = { 'k8s-app': 'kube-dns' };
  const out: KubeObject[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: corefile(cfg.clusterDomain) } },
    {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }, annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' } },
      spec: {
        clusterIP: cfg.dnsServiceIP, selector: dnsLabels,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      },
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels: dnsLabels },
      spec: {
        replicas: 2,
        selector: { matchLabels: dnsLabels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels: dnsLabels },
          spec: {
            priorityClassName: 'system-cluster-critical',
            tolerations: CP_TOLERATIONS,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            dnsPolicy: 'Default',
            containers: [{
              name: 'coredns',
              image: 'registry.k8s.io/coredns/coredns:v1.11.3',
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { containerPort: 53, name: 'dns', protocol: 'UDP' },
                { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
              ],
              readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' }, periodSeconds: 10 },
              livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, failureThreshold: 5 },
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
            }],
            volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } }, data: { 'config.conf': `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclusterCIDR: ${cfg.podCIDR}\nmode: ${cfg.proxyMode}\nipvs:\n  scheduler: ""\n` } },
    {
      apiVersion: 'apps/v1', kind: 'DaemonSet',
      metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
      spec: {
        selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
        template: {
          metadata: { labels: { 'k8s-app': 'kube-proxy' } },
          spec: {
            hostNetwork: true,
            priorityClassName: 'system-node-critical',
            tolerations: [{ operator: 'Exists' }],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            containers: [{
              name: 'kube-proxy',
              image: `registry.k8s.io/kube-proxy:v${v}.0`,
              // kubeadm's manifest passes --config and --hostname-override; the image default is
              // kept here so the simulated image runs its server.
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              securityContext: { privileged: true },
              volumeMounts: [{ name: 'kube-proxy', mountPath: '/var/lib/kube-proxy' }],
            }],
            volumes: [{ name: 'kube-proxy', configMap: { name: 'kube-proxy' } }],
          },
        },
      },
    },
  ];
  if (cfg.loadBalancerPool) {
    const ml = 'metallb-system';
    out.push(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ml, labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } },
      {
        apiVersion: 'apps/v1', kind: 'Deployment',
        metadata: { name: 'controller', namespace: ml, labels: { app: 'metallb', component: 'controller' } },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'metallb', component: 'controller' } },
          template: {
            metadata: { labels: { app: 'metallb', component: 'controller' } },
            spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'controller', image: 'quay.io/metallb/controller:v0.14.8', ports: [{ name: 'monitoring', containerPort: 7472 }] }] },
          },
        },
      },
      {
        apiVersion: 'apps/v1', kind: 'DaemonSet',
        metadata: { name: 'speaker', namespace: ml, labels: { app: 'metallb', component: 'speaker' } },
        spec: {
          selector: { matchLabels: { app: 'metallb', component: 'speaker' } },
          template: {
            metadata: { labels: { app: 'metallb', component: 'speaker' } },
            spec: {
              hostNetwork: true,
              nodeSelector: { 'kubernetes.io/os': 'linux' },
              tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }, { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' }],
              containers: [{ name: 'speaker', image: 'quay.io/metallb/speaker:v0.14.8', ports: [{ name: 'monitoring', containerPort: 7472 }, { name: 'memberlist-tcp', containerPort: 7946 }] }],
            },
          },
        },
      },
    );
  }
  return out;
}
