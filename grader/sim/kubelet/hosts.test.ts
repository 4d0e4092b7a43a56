import { describe, expect, it } from 'vitest';
import { workloadCluster } from '../nodes/test-harness.ts';
import type { Pod } from '../api/types.ts';
import { logsOf } from './api.ts';
import { etcHostsContent } from './hosts.ts';

const pod = (spec: Partial<Pod['spec']>, name = 'hostaliases-pod'): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [], ...spec } } as Pod);

describe('the kubelet-managed /etc/hosts', () => {
  it('has the localhost lines, the pod IP with its hostname, then the HostAliases section one line per IP', () => {
    const text = etcHostsContent(pod({ hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] }, { ip: '10.1.2.3', hostnames: ['foo.remote', 'bar.remote'] }] }), ['10.244.1.5'], 'cluster.local');
    expect(text).toBe(
      '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
      '10.244.1.5\thostaliases-pod\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\tbar.remote\n',
    );
  });

  it('names the FQDN first when the pod has a subdomain, and spec.hostname over the pod name', () => {
    const text = etcHostsContent(pod({ hostname: 'web-0', subdomain: 'nginx' }, 'x'), ['10.244.2.9'], 'cluster.local');
    expect(text.split('\n')).toContain('10.244.2.9\tweb-0.nginx.default.svc.cluster.local\tweb-0');
    expect(text).not.toContain('HostAliases');
  });

  it('a hostNetwork pod gets the node\'s file with the aliases appended', () => {
    const text = etcHostsContent(pod({ hostNetwork: true, hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }] }), ['172.18.0.3'], 'cluster.local', { name: 'kind-worker', ip: '172.18.0.3' });
    expect(text.startsWith('# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n')).toBe(true);
    expect(text).toContain('172.18.0.3\tkind-worker\n\n# Entries added by HostAliases.\n10.0.0.1\ta\n');
  });

  it('`cat /etc/hosts` in busybox prints it to the logs and completes (the hostaliases-pod example)', () => {
    const c = workloadCluster();
    c.apply(`
apiVersion: v1
kind: Pod
metadata: {name: hostaliases-pod}
spec:
  restartPolicy: Never
  hostAliases:
  - {ip: "127.0.0.1", hostnames: [foo.local, bar.local]}
  - {ip: "10.1.2.3", hostnames: [foo.remote, bar.remote]}
  containers:
  - {name: cat-hosts, image: "busybox:1.28", command: [cat], args: [/etc/hosts]}
`);
    c.advance(5);
    const p = c.get('Pod', 'default', 'hostaliases-pod') as Pod;
    expect(p.status?.phase).toBe('Succeeded');
    const logs = logsOf(c.ctx, p, 'cat-hosts');
    expect(logs[0]).toBe('# Kubernetes-managed hosts file.');
    expect(logs).toContain(`${p.status!.podIP}\thostaliases-pod`);
    expect(logs.slice(-3)).toEqual(['# Entries added by HostAliases.', '127.0.0.1\tfoo.local\tbar.local', '10.1.2.3\tfoo.remote\tbar.remote']);
  });

  it('a container that mounts its own /etc/hosts reads that instead', () => {
    const c = workloadCluster();
    c.apply(`
apiVersion: v1
kind: ConfigMap
metadata: {name: h}
data: {hosts: "1.2.3.4 mine\\n"}
---
apiVersion: v1
kind: Pod
metadata: {name: own}
spec:
  restartPolicy: Never
  volumes: [{name: h, configMap: {name: h}}]
  containers:
  - {name: c, image: busybox, command: [sh, -c, "cat /etc/hosts"], volumeMounts: [{name: h, mountPath: /etc/hosts, subPath: hosts}]}
`);
    c.advance(5);
    expect(logsOf(c.ctx, c.get('Pod', 'default', 'own') as Pod)).toEqual(['1.2.3.4 mine']);
  });
});
