/**
 * Each submission on a shared kind cluster lives in its own namespaces: `default` becomes
 * `<prefix>`, any other namespace `ns` becomes `<prefix>-ns`. Manifests are rewritten on the
 * way in and DNS names in checks on the way out, so checks written for the simulator
 * (`web.default.svc.cluster.local`) ask the right question on the real cluster.
 */
import type { KubeObject } from '../../sim/api/types.ts';

const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'IngressClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'PriorityClass',
]);

export class NamespaceMap {
  constructor(readonly prefix: string) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(prefix) || prefix.length > 40) {
      throw new Error(`namespace prefix "${prefix}" is not a DNS label of at most 40 characters`);
    }
  }

  /** The real namespace for a namespace the lab talks about. */
  real(ns: string | undefined): string {
    if (!ns || ns === 'default') return this.prefix;
    return `${this.prefix}-${ns}`;
  }

  /** The lab's namespace for a real one (inverse of `real`). */
  logical(realNs: string): string {
    if (realNs === this.prefix) return 'default';
    if (realNs.startsWith(`${this.prefix}-`)) return realNs.slice(this.prefix.length + 1);
    return realNs;
  }

  /** A copy of the object placed in its real namespace; Namespace objects are renamed. */
  rewriteObject(obj: KubeObject, knownNamespaces: ReadonlySet<string>): KubeObject {
    const o = structuredClone(obj);
    if (o.kind === 'Namespace') {
      o.metadata.name = this.real(o.metadata.name);
      return o;
    }
    if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = this.real(o.metadata.namespace);
    return this.rewriteStrings(o, knownNamespaces) as KubeObject;
  }

  /**
   * Rewrite in-cluster DNS names inside string values (env values, args, ExternalName targets):
   * `svc.ns.svc.cluster.local`, `svc.ns.svc` and a whole value `svc.ns` for known namespaces.
   */
  rewriteName(name: string, knownNamespaces: ReadonlySet<string>): string {
    const trailingDot = name.endsWith('.');
    const labels = (trailingDot ? name.slice(0, -1) : name).split('.');
    const svcIdx = labels.indexOf('svc');
    if (svcIdx >= 2 && knownNamespaces.has(labels[svcIdx - 1]!)) {
      labels[svcIdx - 1] = this.real(labels[svcIdx - 1]);
    } else if (labels.length === 2 && knownNamespaces.has(labels[1]!)) {
      labels[1] = this.real(labels[1]);
    } else {
      const podIdx = labels.indexOf('pod');
      if (podIdx >= 2 && knownNamespaces.has(labels[podIdx - 1]!)) labels[podIdx - 1] = this.real(labels[podIdx - 1]);
    }
    return labels.join('.') + (trailingDot ? '.' : '');
  }

  private rewriteStrings(v: unknown, known: ReadonlySet<string>): unknown {
    if (typeof v === 'string') {
      // Only strings that look like DNS names (optionally with :port or a URL around them).
      return v.replace(/\b([a-z0-9-]+(?:\.[a-z0-9-]+)+)\b/g, (m) => this.rewriteName(m, known));
    }
    if (Array.isArray(v)) return v.map((x) => this.rewriteStrings(x, known));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = k === 'metadata' ? x : this.rewriteStrings(x, known);
      return out;
    }
    return v;
  }
}
