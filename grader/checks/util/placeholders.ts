/**
 * URL placeholders: labs cannot know addresses that the cluster allocates (NodePorts,
 * LoadBalancer IPs, ClusterIPs, node IPs), so they name them and we resolve them against the
 * backend at run time. A placeholder that cannot be resolved is a finding about the
 * submission (no NodePort, EXTERNAL-IP pending), reported as a failed check, not a crash.
 */
import type { Backend } from '../../backend/types.ts';
import type { Pod } from '../../sim/api/types.ts';
import { getService, listNodes, nodeInternalIP, nodeReady } from './cluster.ts';

export type Resolved = { ok: true; value: string; notes: string[] } | { ok: false; problem: string };

const PLACEHOLDER = /\{\{\s*([a-zA-Z]+)(?::([^}]*))?\s*\}\}/g;

export const PLACEHOLDER_NAMES = ['nodeIP', 'nodePort', 'loadBalancerIP', 'clusterIP', 'ingressIP'] as const;

/** Placeholder names used in a text, for lab validation. */
export function placeholdersIn(text: string): { name: string; arg?: string }[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1]!, arg: m[2]?.trim() }));
}

export async function resolvePlaceholders(text: string, backend: Backend): Promise<Resolved> {
  const notes: string[] = [];
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const r = await resolveOne(m[1]!, m[2]?.trim(), backend);
    if (!r.ok) return r;
    notes.push(`${m[0]} = ${r.value}`);
    out += text.slice(last, m.index) + r.value;
    last = m.index! + m[0].length;
  }
  return { ok: true, value: out + text.slice(last), notes };
}

function splitNsName(arg: string | undefined, what: string): { namespace: string; name: string; rest?: string } {
  const [nsName, ...rest] = (arg ?? '').split(':');
  const parts = (nsName ?? '').split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`the placeholder {{${what}:${arg ?? ''}}} must name a Service as namespace/name`);
  return { namespace: parts[0], name: parts[1], rest: rest.length ? rest.join(':') : undefined };
}

async function resolveOne(name: string, arg: string | undefined, backend: Backend): Promise<Resolved> {
  switch (name) {
    case 'nodeIP': {
      const nodes = await listNodes(backend);
      if (!arg || arg === 'any') {
        // Any node works for a NodePort; prefer a Ready worker like a student would pick.
        const workers = nodes.filter((n) => !('node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {})));
        const pick = workers.find(nodeReady) ?? nodes.find(nodeReady) ?? nodes[0];
        const ip = pick && nodeInternalIP(pick);
        return ip ? { ok: true, value: ip, notes: [] } : { ok: false, problem: 'the cluster has no node with an InternalIP' };
      }
      const node = nodes.find((n) => n.metadata.name === arg);
      if (!node) return { ok: false, problem: `there is no node named ${arg} (nodes: ${nodes.map((n) => n.metadata.name).join(', ') || 'none'})` };
      const ip = nodeInternalIP(node);
      return ip ? { ok: true, value: ip, notes: [] } : { ok: false, problem: `node ${arg} has no InternalIP` };
    }
    case 'nodePort': {
      const { namespace, name: svcName, rest } = splitNsName(arg, name);
      if (!rest) throw new Error(`the placeholder {{nodePort:${arg}}} must end with the Service port, e.g. {{nodePort:default/web:80}}`);
      const svc = await getService(backend, namespace, svcName);
      if (!svc) return { ok: false, problem: `Service ${namespace}/${svcName} does not exist, so it has no NodePort` };
      const port = svc.spec.ports?.find((p) => String(p.port) === rest || p.name === rest);
      if (!port) return { ok: false, problem: `Service ${namespace}/${svcName} has no port ${rest} (ports: ${(svc.spec.ports ?? []).map((p) => p.port).join(', ') || 'none'})` };
      if (!port.nodePort) return { ok: false, problem: `Service ${namespace}/${svcName} is of type ${svc.spec.type ?? 'ClusterIP'}, so port ${port.port} has no NodePort` };
      return { ok: true, value: String(port.nodePort), notes: [] };
    }
    case 'loadBalancerIP': {
      const { namespace, name: svcName } = splitNsName(arg, name);
      const svc = await getService(backend, namespace, svcName);
      if (!svc) return { ok: false, problem: `Service ${namespace}/${svcName} does not exist, so it has no LoadBalancer IP` };
      const ing = svc.status?.loadBalancer?.ingress?.[0];
      const ip = ing?.ip ?? ing?.hostname;
      if (!ip) {
        const why = svc.spec.type === 'LoadBalancer' ? 'its EXTERNAL-IP is still <pending>' : `it is of type ${svc.spec.type ?? 'ClusterIP'}, not LoadBalancer`;
        return { ok: false, problem: `Service ${namespace}/${svcName} has no LoadBalancer IP: ${why}` };
      }
      return { ok: true, value: ip, notes: [] };
    }
    case 'clusterIP': {
      const { namespace, name: svcName } = splitNsName(arg, name);
      const svc = await getService(backend, namespace, svcName);
      if (!svc) return { ok: false, problem: `Service ${namespace}/${svcName} does not exist, so it has no ClusterIP` };
      const ip = svc.spec.clusterIP;
      if (!ip || ip === 'None') return { ok: false, problem: `Service ${namespace}/${svcName} is headless (clusterIP: None), so it has no ClusterIP` };
      return { ok: true, value: ip, notes: [] };
    }
    case 'ingressIP': {
      if (backend.ingressAddress) {
        const ip = await backend.ingressAddress();
        if (ip) return { ok: true, value: ip, notes: [] };
      }
      // ingress-nginx as kind installs it: the controller binds hostPorts 80/443 on its node.
      const pods = ((await backend.list('Pod', 'ingress-nginx')) as Pod[])
        .filter((p) => p.metadata.labels?.['app.kubernetes.io/component'] === 'controller' && p.status?.hostIP)
        .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
      if (pods[0]?.status?.hostIP) return { ok: true, value: pods[0].status.hostIP, notes: [] };
      return { ok: false, problem: 'no ingress controller is running in this cluster (namespace ingress-nginx has no ready controller pod)' };
    }
    default:
      throw new Error(`unknown placeholder {{${name}}}: use one of ${PLACEHOLDER_NAMES.join(', ')}`);
  }
}

const PLACEHOLDER_WORDS: Record<string, string> = {
  nodeIP: 'IP of node',
  nodePort: 'NodePort of',
  loadBalancerIP: 'LoadBalancer IP of',
  clusterIP: 'ClusterIP of',
  ingressIP: 'ingress address',
};

/** A URL template in a student's words: `http://<LoadBalancer IP of default/web>/`, never `{{…}}` syntax. */
export function describeTemplate(template: string): string {
  return template.replace(/\{\{\s*(\w+)(?::([^}]*))?\s*\}\}/g, (_m, name: string, arg?: string) => {
    const words = PLACEHOLDER_WORDS[name] ?? name;
    return `<${arg ? `${words} ${arg === 'any' ? 'any node' : arg}` : words}>`;
  });
}
