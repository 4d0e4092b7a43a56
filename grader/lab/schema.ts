/**
 * The lab format: what `labs/NN-slug/lab.yaml` may say. This zod schema is the single source:
 * the loader validates with it and `npm run schema` publishes it as JSON Schema
 * (docs/lab.schema.json). Objects are strict, so a misspelt field is an error, not a silent no-op.
 *
 * Checks are declarative and backend-agnostic: each names an operation (`type`) that the
 * check engine runs through the Backend interface, on the simulator or on kind alike.
 */
import { z } from 'zod';

const labels = z.record(z.string(), z.string());

/** Where a probe runs from. `pod` = an existing pod (by name or selector) or, if neither is given, a throwaway client pod. */
export const Origin = z.union([
  z.strictObject({
    pod: z.strictObject({
      namespace: z.string().default('default'),
      name: z.string().optional(),
      selector: labels.optional(),
    }),
  }),
  z.literal('external'),
]);

/** An object the check talks about. Namespace defaults to `default` for namespaced kinds. */
export const ObjectTarget = z.strictObject({
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
});

/** A value read from the cluster at check time, for captures and comparisons. */
export const ValueSource = z.union([
  /** A field of an object, by dotted path with [index]: `spec.clusterIP`, `status.loadBalancer.ingress[0].ip`. */
  z.strictObject({ field: z.strictObject({ object: ObjectTarget, path: z.string() }) }),
  /** The sorted A answers for a name, from a pod. */
  z.strictObject({ dns: z.strictObject({ from: Origin.optional(), name: z.string() }) }),
  /** The sorted IPs of the ready endpoints of a Service. */
  z.strictObject({ readyEndpoints: ObjectTarget.omit({ kind: true }) }),
  /** The body of an HTTP answer (e.g. data written to a volume before a restart). */
  z.strictObject({ httpBody: z.strictObject({ from: Origin.optional(), url: z.string() }) }),
  /** Names of pods matching a selector, sorted. */
  z.strictObject({ podNames: z.strictObject({ namespace: z.string().default('default'), selector: labels }) }),
]);

/** What a DNS answer must be. Exactly one of the answer expectations, or an rcode alone. */
export const DnsExpect = z.strictObject({
  rcode: z.enum(['NOERROR', 'NXDOMAIN']).default('NOERROR'),
  /** A records equal the Service's ClusterIP. */
  serviceIP: ObjectTarget.omit({ kind: true }).optional(),
  /** A records equal the IPs of the Service's ready endpoints (headless). */
  readyEndpointsOf: ObjectTarget.omit({ kind: true }).optional(),
  /** A records equal this pod's IP (StatefulSet per-pod names). */
  podIP: ObjectTarget.omit({ kind: true }).optional(),
  /** A CNAME to this name (ExternalName). */
  cname: z.string().optional(),
  /** SRV targets and ports, as "port target" strings, order ignored. */
  srv: z.array(z.string()).optional(),
  /** Number of answers. */
  count: z.number().int().nonnegative().optional(),
});

export const HttpRequestSpec = z.strictObject({
  from: Origin.default({ pod: { namespace: 'default' } }),
  /**
   * The URL. Besides names and IPs, a few placeholders resolve against the cluster at run time:
   * `{{nodeIP:any}}`, `{{nodeIP:kind-worker2}}`, `{{nodePort:ns/svc:port}}`, `{{loadBalancerIP:ns/svc}}`,
   * `{{clusterIP:ns/svc}}`, `{{ingressIP}}` (where ingress-nginx listens).
   */
  url: z.string(),
  method: z.string().default('GET'),
  headers: z.record(z.string(), z.string()).optional(),
  cookies: z.record(z.string(), z.string()).optional(),
  /** Connect to this address but send the URL's host (curl --resolve): e.g. `{{ingressIP}}`. */
  connectTo: z.string().optional(),
  followRedirects: z.boolean().default(false),
});

export const HttpExpect = z.strictObject({
  status: z.union([z.number().int(), z.array(z.number().int())]).optional(),
  /** The request must fail at connection level with this error (e.g. `connection refused`). */
  error: z.string().optional(),
  bodyContains: z.array(z.string()).optional(),
  bodyNotContains: z.array(z.string()).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** The answer comes from a pod matching this selector. */
  servedBy: z.strictObject({ namespace: z.string().default('default'), selector: labels }).optional(),
  /** HTTPS: the served certificate is valid for this host and is not the ingress controller's fake one. */
  certificateValidFor: z.string().optional(),
  /** HTTP → HTTPS (or other) redirect target prefix, e.g. `https://shop.example.com/`. */
  redirectTo: z.string().optional(),
});

const Distribution = z.strictObject({
  request: HttpRequestSpec,
  requests: z.number().int().min(1).max(10_000).default(90),
  /** Use a new connection per request (default), or keep one alive (pins a backend under iptables). */
  keepAlive: z.boolean().default(false),
  expect: z.strictObject({
    /** Every ready endpoint of this Service serves at least one request. */
    allReadyEndpointsOf: ObjectTarget.omit({ kind: true }).optional(),
    /** Each endpoint's share is within this absolute tolerance of 1/n (0.1 = ±10 points). */
    evenWithin: z.number().min(0).max(1).optional(),
    /** Shares of pods by selector: e.g. canary { track: canary } at 0.1 ± 0.05. */
    shares: z.array(z.strictObject({ selector: labels, namespace: z.string().default('default'), share: z.number().min(0).max(1), tolerance: z.number().min(0).max(1) })).optional(),
    /** Every request is answered by the same pod (session affinity). */
    singleBackend: z.boolean().optional(),
    /** No request fails: refused, timed out, or a gateway error (502/503/504) (zero-downtime checks). */
    noErrors: z.boolean().optional(),
  }),
});

/** An operation that changes the cluster during a scenario. */
export const ActionSpec = z.union([
  /** Stop a node (kind: stop its container). `node` is a name, or `nodeOf: {selector}` picks the node of the first matching pod. */
  z.strictObject({ killNode: z.union([z.string(), z.strictObject({ nodeOf: z.strictObject({ namespace: z.string().default('default'), selector: labels }) })]) }),
  z.strictObject({ restoreNode: z.string() }),
  z.strictObject({ deleteNode: z.string() }),
  z.strictObject({ addNode: z.strictObject({ name: z.string().optional() }) }),
  z.strictObject({ deletePod: z.strictObject({ namespace: z.string().default('default'), name: z.string().optional(), selector: labels.optional(), force: z.boolean().default(false) }) }),
  z.strictObject({ scale: z.strictObject({ kind: z.enum(['Deployment', 'StatefulSet', 'ReplicaSet']), namespace: z.string().default('default'), name: z.string(), replicas: z.number().int().min(0) }) }),
  z.strictObject({ setImage: z.strictObject({ kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']), namespace: z.string().default('default'), name: z.string(), container: z.string(), image: z.string() }) }),
  /** Apply a folder or file of the lab (relative to the lab folder), e.g. a v2 manifest. */
  z.strictObject({ applyLabFiles: z.string() }),
  /** Advance time (virtual on sim; a bounded real wait on kind). */
  z.strictObject({ advance: z.string().regex(/^\d+(ms|s|m)$/) }),
  z.strictObject({ waitForRollout: z.string().regex(/^\d+(s|m)$/) }),
]);

// Checks are recursive through scenarios; declare the shape first.
const checkCommon = {
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'check ids are lowercase words joined by hyphens'),
  title: z.string(),
  points: z.number().int().min(0).default(1),
  /** The grader runs hidden checks; listings and the site show only that they exist. */
  hidden: z.boolean().default(false),
  /** Points at the concept without giving the answer. */
  hint: z.string(),
  /** Why this check matters; shown in the report next to the evidence. */
  explain: z.string().optional(),
};

const ObjectCheck = z.strictObject({
  ...checkCommon,
  type: z.literal('object'),
  /** One object by name… */
  target: ObjectTarget.optional(),
  /** …or every object of a kind matching labels, with a count. */
  select: z.strictObject({ kind: z.string(), namespace: z.string().default('default'), selector: labels.optional() }).optional(),
  count: z.strictObject({ min: z.number().int().optional(), max: z.number().int().optional() }).optional(),
  /** Partial object: every given field must match; lists match as sets (order ignored). */
  match: z.record(z.string(), z.unknown()).optional(),
  /** The object must not exist. */
  absent: z.boolean().optional(),
});

const DnsCheck = z.strictObject({
  ...checkCommon,
  type: z.literal('dns'),
  from: Origin.default({ pod: { namespace: 'default' } }),
  /** Names to ask, each must satisfy `expect` (e.g. `web`, `web.default`, `web.default.svc.cluster.local`). */
  names: z.array(z.string()).min(1),
  qtype: z.enum(['A', 'SRV', 'CNAME', 'PTR']).default('A'),
  expect: DnsExpect,
});

const HttpCheck = z.strictObject({
  ...checkCommon,
  type: z.literal('http'),
  request: HttpRequestSpec,
  expect: HttpExpect,
});

const TcpCheck = z.strictObject({
  ...checkCommon,
  type: z.literal('tcp'),
  from: Origin.default({ pod: { namespace: 'default' } }),
  host: z.string(),
  port: z.union([z.number().int(), z.string()]),
  expect: z.enum(['connected', 'refused', 'timeout', 'unresolved']),
});

const DistributionCheck = z.strictObject({ ...checkCommon, type: z.literal('distribution'), ...Distribution.shape });

const CustomCheck = z.strictObject({
  ...checkCommon,
  type: z.literal('custom'),
  /** A TypeScript module in the lab folder whose default export is a CustomCheck (grader/checks/custom/api.ts). */
  module: z.string(),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** A check without scoring fields, used as an assertion step inside a scenario. */
const assertion = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape);
export const AssertSpec = z.union([
  assertion({ object: ObjectCheck.omit({ id: true, title: true, points: true, hidden: true, hint: true, explain: true, type: true }) }),
  assertion({ dns: DnsCheck.omit({ id: true, title: true, points: true, hidden: true, hint: true, explain: true, type: true }) }),
  assertion({ http: HttpCheck.omit({ id: true, title: true, points: true, hidden: true, hint: true, explain: true, type: true }) }),
  assertion({ tcp: TcpCheck.omit({ id: true, title: true, points: true, hidden: true, hint: true, explain: true, type: true }) }),
  assertion({ distribution: Distribution }),
]);

export const ScenarioStep = z.union([
  z.strictObject({ do: ActionSpec, note: z.string().optional() }),
  z.strictObject({ capture: z.strictObject({ as: z.string(), value: ValueSource }) }),
  z.strictObject({ assert: AssertSpec, note: z.string().optional() }),
  /** Compare a captured value with the same source read now (or another captured value). */
  z.strictObject({ compare: z.strictObject({ captured: z.string(), op: z.enum(['equal', 'notEqual', 'disjoint']), with: z.union([ValueSource, z.strictObject({ captured: z.string() })]).optional() }), note: z.string().optional() }),
]);

const ScenarioCheck = z.strictObject({
  ...checkCommon,
  type: z.literal('scenario'),
  /**
   * Scenarios change the cluster, so each runs on a fresh cluster with the submission applied
   * (the engine re-applies and waits), and never disturbs other checks.
   */
  steps: z.array(ScenarioStep).min(1),
  /** kind cannot shorten real waits beyond this; the check says so instead of guessing. */
  kind: z.strictObject({ skip: z.string().optional(), maxWaitSeconds: z.number().int().optional() }).optional(),
});

export const Check = z.discriminatedUnion('type', [ObjectCheck, DnsCheck, HttpCheck, TcpCheck, DistributionCheck, ScenarioCheck, CustomCheck]);

/** A declarative image for the simulator's catalogue, so labs can bring images without code. */
export const LabImage = z.strictObject({
  names: z.array(z.string()).min(1),
  description: z.string(),
  ports: z.array(z.strictObject({ port: z.number().int(), protocol: z.enum(['TCP', 'UDP']).default('TCP'), app: z.enum(['http', 'https', 'mysql', 'redis', 'mongodb', 'tcp', 'dns']).default('http') })),
  /** Env vars without which the process exits (→ CrashLoopBackOff), with the log line it prints. */
  requiredEnv: z.array(z.strictObject({ anyOf: z.array(z.string()).min(1), message: z.string() })).default([]),
  /** HTTP answer; `{{pod}}`, `{{podIP}}`, `{{node}}`, `{{path}}`, `{{host}}`, `{{env.NAME}}` are filled in. */
  http: z.strictObject({ status: z.number().int().default(200), body: z.string(), headers: z.record(z.string(), z.string()).optional() }).optional(),
});

export const LabSpec = z.strictObject({
  /** Lab number, unique; `npm run lab N` finds the lab by it. */
  id: z.number().int().min(1),
  slug: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  summary: z.string(),
  /** Concept ids from docs/curriculum.md (e.g. service-clusterip, dns, round-robin). */
  concepts: z.array(z.string()).min(1),
  difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
  estimatedMinutes: z.number().int().min(1),
  cluster: z
    .strictObject({
      workers: z.number().int().min(1).max(100).default(3),
      proxyMode: z.enum(['iptables', 'ipvs']).default('iptables'),
      ingress: z.boolean().default(false),
      loadBalancer: z.boolean().default(true),
    })
    .default({ workers: 3, proxyMode: 'iptables', ingress: false, loadBalancer: true }),
  /** Lab-owned manifests applied before the submission (client pods, a database the student uses…), relative to the lab folder. */
  setup: z.array(z.string()).default([]),
  /** Kinds a submission may create on a shared real cluster (kind backend safety); default: the lab's usual namespaced kinds. */
  allowedKinds: z.array(z.string()).optional(),
  /** How long to wait for rollouts after applying (virtual on sim). */
  rolloutTimeoutSeconds: z.number().int().min(1).max(900).default(180),
  images: z.array(LabImage).default([]),
  checks: z.array(Check).min(1),
});

export type LabSpec = z.infer<typeof LabSpec>;
export type Check = z.infer<typeof Check>;
export type ScenarioStep = z.infer<typeof ScenarioStep>;
export type ActionSpec = z.infer<typeof ActionSpec>;
export type AssertSpec = z.infer<typeof AssertSpec>;
export type ValueSource = z.infer<typeof ValueSource>;
export type Origin = z.infer<typeof Origin>;
export type HttpRequestSpec = z.infer<typeof HttpRequestSpec>;
export type LabImage = z.infer<typeof LabImage>;

/** A mutant's manifest: `mutants/<name>/mutant.yaml` says what it is and which checks it must fail. */
export const MutantSpec = z.strictObject({
  description: z.string(),
  /** The realistic mistake, in the student's terms. */
  mistake: z.string().optional(),
  fails: z.array(z.string()).min(1),
});
export type MutantSpec = z.infer<typeof MutantSpec>;
