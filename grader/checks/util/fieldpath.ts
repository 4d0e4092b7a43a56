/**
 * Field paths as lab authors and kubectl users write them: `spec.ports[0].targetPort`,
 * `status.loadBalancer.ingress[0].ip`, `metadata.labels["app.kubernetes.io/name"]`.
 */
export type Segment = string | number;

const TOKEN = /([^.[\]]+)|\[(\d+)\]|\[["']([^"']+)["']\]/g;

export function parsePath(p: string): Segment[] {
  const out: Segment[] = [];
  for (const m of p.matchAll(TOKEN)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

export function formatPath(segs: readonly Segment[]): string {
  let s = '';
  for (const seg of segs) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) s += s ? `.${seg}` : seg;
    else s += `["${seg}"]`;
  }
  return s;
}

export function getPath(obj: unknown, segs: readonly Segment[]): { found: boolean; value: unknown } {
  let cur: unknown = obj;
  for (const seg of segs) {
    if (cur === null || typeof cur !== 'object') return { found: false, value: undefined };
    const next = (cur as Record<string | number, unknown>)[seg];
    if (next === undefined) return { found: false, value: undefined };
    cur = next;
  }
  return { found: true, value: cur };
}
