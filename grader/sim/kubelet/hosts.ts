/**
 * The /etc/hosts the kubelet writes for each pod and bind-mounts into every container
 * (unless a container mounts something at /etc/hosts itself). A pod on the pod network gets
 * the managed file: localhost lines, its own IP with its hostname (FQDN first when it has a
 * subdomain), then the "# Entries added by HostAliases." section, one line per alias IP. A
 * hostNetwork pod gets the node's own hosts file (on kind, the one Docker writes for the node
 * container) with the same alias section appended.
 * Source: pkg/kubelet/kubelet_pods.go managedHostsFileContent, nodeHostsFileContent,
 * hostsEntriesFromHostAliases, GeneratePodHostNameAndDomain, truncatePodHostnameIfNeeded (1.31).
 */
import type { Pod } from '../api/types.ts';

export const ETC_HOSTS = '/etc/hosts';

/** GeneratePodHostNameAndDomain: spec.hostname or the pod name (at most 63 characters), and the subdomain's FQDN. */
export function podHostnameAndDomain(pod: Pod, clusterDomain: string): { hostname: string; domain: string } {
  let hostname = pod.spec.hostname || pod.metadata.name;
  if (hostname.length > 63) hostname = hostname.slice(0, 63).replace(/[-.]+$/, '');
  const domain = pod.spec.subdomain ? `${pod.spec.subdomain}.${pod.metadata.namespace ?? 'default'}.svc.${clusterDomain}` : '';
  return { hostname, domain };
}

function aliasSection(pod: Pod): string {
  const aliases = pod.spec.hostAliases ?? [];
  if (aliases.length === 0) return '';
  return `\n# Entries added by HostAliases.\n${aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`).join('')}`;
}

/** The file the kubelet writes for a pod with IPs `podIPs`. */
export function etcHostsContent(pod: Pod, podIPs: string[], clusterDomain: string, node?: { name: string; ip?: string }): string {
  if (pod.spec.hostNetwork) {
    // Docker's file for the kind node container, then the aliases.
    const nodeFile = `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n${node?.ip ? `${node.ip}\t${node.name}\n` : ''}`;
    return `# Kubernetes-managed hosts file (host network).\n${nodeFile}${aliasSection(pod)}`;
  }
  const { hostname, domain } = podHostnameAndDomain(pod, clusterDomain);
  let out = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  for (const ip of podIPs) out += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return out + aliasSection(pod);
}
