/**
 * The API a lab's custom check sees. A custom check is a TypeScript module in the lab folder
 * whose default export is `defineCustomCheck({ run(api) { … } })`. It may read the cluster
 * and send probes, never change it, so it behaves the same on sim and on kind:
 *
 * ```ts
 * import { defineCustomCheck } from '../../grader/checks/custom/api.ts';
 * export default defineCustomCheck({
 *   async run(api) {
 *     const svc = await api.get('Service', 'web');
 *     const ip = svc?.spec?.clusterIP;
 *     const r = await api.dns('web.default');
 *     return r.answers.some((a) => a.data === ip)
 *       ? api.pass(`web.default resolves to ${ip}`)
 *       : api.fail(`web.default resolves to ${r.answers.map((a) => a.data).join(', ')}, not ${ip}`, [api.evidence('dns web.default', ip, r.answers)]);
 *   },
 * });
 * ```
 */
import type { DnsResult, DnsType, HttpProbe, HttpResult, ProbeOrigin, TcpResult } from '../../backend/types.ts';
import type { KubeObject, Labels } from '../../sim/api/types.ts';
import type { Evidence } from '../report.ts';
import type { CheckOutcome } from '../types.ts';

export interface CustomCheckApi {
  /** The check's `options:` from lab.yaml. */
  readonly options: Record<string, unknown>;
  /** The check's id and title, and the lab folder (for files the check may read). */
  readonly check: { id: string; title: string };
  readonly labDir: string;
  /** Which cluster runs the check: `sim` or `kind`. */
  readonly backend: 'sim' | 'kind';

  /** One object, or undefined. `namespace` defaults to `default` for namespaced kinds. */
  get(kind: string, name: string, namespace?: string): Promise<KubeObject | undefined>;
  /** Objects of a kind (all namespaces when `namespace` is omitted), optionally by labels, sorted by namespace and name. */
  list(kind: string, namespace?: string, selector?: Labels): Promise<KubeObject[]>;
  /** The IPs of a Service's ready endpoints, sorted. */
  readyEndpoints(service: string, namespace?: string): Promise<string[]>;
  /** A DNS query from a pod (default: a client pod in `default`). */
  dns(name: string, opts?: { type?: DnsType; from?: ProbeOrigin & { kind: 'pod' } }): Promise<DnsResult>;
  /** An HTTP request; placeholders such as `{{nodePort:default/web:80}}` are resolved first. */
  http(url: string, opts?: Omit<HttpProbe, 'url' | 'from'> & { from?: ProbeOrigin }): Promise<HttpResult>;
  /** A TCP connection. */
  tcp(host: string, port: number, opts?: { from?: ProbeOrigin }): Promise<TcpResult>;
  /** Resolve `{{…}}` placeholders in a text (throws with the reason when one cannot be resolved). */
  resolve(text: string): Promise<string>;
  /** kubectl-like views of the cluster, to attach to evidence. */
  views(namespace?: string): Promise<string>;

  /** Evidence: a field path or probe, what was expected, what was observed, and the hops. */
  evidence(path: string, expected: unknown, observed: unknown, trace?: Evidence['trace']): Evidence;
  pass(message: string, evidence?: Evidence[]): CheckOutcome;
  fail(message: string, evidence?: Evidence[]): CheckOutcome;
}

export interface CustomCheck {
  run(api: CustomCheckApi): CheckOutcome | Promise<CheckOutcome>;
}

/** Identity, for typing: `export default defineCustomCheck({ run(api) { … } })`. */
export function defineCustomCheck(c: CustomCheck): CustomCheck {
  return c;
}

export type { CheckOutcome, Evidence };
