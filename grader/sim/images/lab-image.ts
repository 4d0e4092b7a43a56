/**
 * A lab's declarative image (lab.yaml `images:`, LabImage in grader/lab/schema.ts) as a
 * catalogue entry: fixed ports, env vars without which it exits, one templated HTTP answer.
 */
import type { LabImage } from '../../lab/schema.ts';
import type { ContainerRuntimeInfo, HttpRequestInfo, ImageSpec } from './types.ts';

function fill(template: string, c: ContainerRuntimeInfo, req: HttpRequestInfo): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    switch (name) {
      case 'pod': return c.pod.metadata.name;
      case 'podIP': return c.pod.status?.podIP ?? '';
      case 'node': return c.pod.spec.nodeName ?? '';
      case 'namespace': return c.pod.metadata.namespace ?? 'default';
      case 'path': return req.path;
      case 'host': return req.host;
      case 'method': return req.method;
      default:
        if (name.startsWith('env.')) return c.env[name.slice(4)] ?? '';
        return whole;
    }
  });
}

export function fromLabImage(li: LabImage): ImageSpec {
  return {
    names: li.names,
    description: li.description,
    listeners: () => li.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP', app: p.app ?? 'http' })),
    crashReason: (c) => (li.requiredEnv ?? []).find((r) => !r.anyOf.some((k) => c.env[k]))?.message,
    http: li.http
      ? (c, req) => ({
          status: li.http!.status ?? 200,
          headers: Object.fromEntries(Object.entries(li.http!.headers ?? {}).map(([k, v]) => [k, fill(v, c, req)])),
          body: fill(li.http!.body, c, req),
        })
      : undefined,
  };
}
