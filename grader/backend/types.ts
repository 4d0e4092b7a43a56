/**
 * The one interface both clusters implement: the in-process simulator (backend `sim`) and a
 * real kind cluster (backend `kind`). Checks only talk to this, so the same lab reaches the
 * same verdict on both; the shared conformance suite (grader/backend/conformance.case.ts)
 * proves it.
 */
import type { KubeObject, Labels, ObjectRef } from '../sim/api/types.ts';
import type { LoadedDocument } from '../manifests/types.ts';
import type { LabImage } from '../lab/schema.ts';

export interface ClusterShape {
  /** Worker nodes besides the control plane. Default 3. */
  workers: number;
  proxyMode: 'iptables' | 'ipvs';
  /** Install ingress-nginx (class `nginx`). */
  ingress: boolean;
  /** Provide a LoadBalancer implementation (MetalLB-style pool). Without it EXTERNAL-IP stays <pending>. */
  loadBalancer: boolean;
}

export interface BackendOptions {
  seed: number;
  /** Where results and logs of this run may be written (kind: kubeconfig, probe logs). */
  workDir?: string;
  /** The lab's declarative `images:` (sim: added to the catalogue; kind: the images must exist in the registry). */
  images?: LabImage[];
}

/** Where a probe starts. */
export type ProbeOrigin =
  /** From inside the cluster: a named pod, or a throwaway client pod (curl + dig) in `namespace`. */
  | { kind: 'pod'; namespace: string; pod?: string; selector?: Labels }
  /** From the host machine, outside the cluster (node IPs, NodePorts, LoadBalancer IPs, ingress). */
  | { kind: 'external' };

export type DnsType = 'A' | 'AAAA' | 'SRV' | 'CNAME' | 'PTR' | 'TXT';
export type DnsRcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

export interface DnsRecord {
  name: string;
  type: DnsType;
  ttl: number;
  /** A/AAAA: the address; CNAME/PTR: the target name; SRV: "priority weight port target". */
  data: string;
}

export interface DnsQuery {
  from: ProbeOrigin & { kind: 'pod' };
  name: string;
  type: DnsType;
}

export interface DnsResult {
  rcode: DnsRcode;
  /** The fully qualified name that answered, after the search path (e.g. web.default.svc.cluster.local.). */
  qname?: string;
  answers: DnsRecord[];
  trace: TraceHop[];
}

/** One hop of a request's path, for the `--explain` view and check evidence. */
export interface TraceHop {
  /** client, dns, kube-proxy, node, loadbalancer, ingress, service, pod, tls … */
  component: string;
  detail: string;
}

export interface HttpProbe {
  from: ProbeOrigin;
  /** http://host:port/path or https://…; host may be a name, a Service IP, a node IP. */
  url: string;
  method?: string;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  /** Connect to this IP instead of resolving the URL's host (curl --resolve): how ingress hosts are reached. */
  connectTo?: string;
  /** Follow redirects (default false, so a 308 is observable). */
  followRedirects?: boolean;
  /** Reuse one connection across requests with the same key (keep-alive pins a backend). */
  connectionKey?: string;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  validFrom: string;
  validTo: string;
  /** True when the certificate covers the requested host and is inside its validity at probe time. */
  validForHost: boolean;
  /** ingress-nginx's "Kubernetes Ingress Controller Fake Certificate". */
  fake: boolean;
  fingerprint256: string;
  /** When the certificate was checked (the simulator's virtual clock), to tell expired from not yet valid. */
  checkedAt?: string;
  /** Why the controller served its fake certificate (missing Secret, host not covered, …), when the backend knows. */
  fakeReason?: string;
}

export interface ServedBy {
  pod: string;
  namespace: string;
  node?: string;
  ip?: string;
  /**
   * The pod's labels, when the backend has them at no cost (the simulator does; kind reads
   * only the pod name from the answer). Checks that need them otherwise read the pod.
   */
  labels?: Readonly<Record<string, string>>;
}

export type HttpResult =
  | {
      ok: true;
      status: number;
      headers: Record<string, string>;
      body: string;
      servedBy?: ServedBy;
      certificate?: CertificateInfo;
      trace: TraceHop[];
    }
  | {
      ok: false;
      /** `connection refused`, `timed out`, `could not resolve host`, `no route to host`, `TLS handshake failed` */
      error: string;
      trace: TraceHop[];
    };

export interface TcpProbe {
  from: ProbeOrigin;
  host: string;
  port: number;
}

export interface TcpResult {
  result: 'connected' | 'refused' | 'timeout' | 'unresolved';
  servedBy?: ServedBy;
  trace: TraceHop[];
}

/** Changes a scenario makes to the cluster. */
export type Action =
  | { type: 'killNode'; node: string }
  | { type: 'restoreNode'; node: string }
  | { type: 'deleteNode'; node: string }
  | { type: 'addNode'; name?: string }
  | { type: 'deletePod'; namespace: string; name: string; force?: boolean }
  | { type: 'scale'; kind: 'Deployment' | 'StatefulSet' | 'ReplicaSet'; namespace: string; name: string; replicas: number }
  | { type: 'setImage'; kind: 'Deployment' | 'StatefulSet' | 'DaemonSet'; namespace: string; name: string; container: string; image: string }
  | { type: 'apply'; documents: LoadedDocument[] }
  | { type: 'advance'; seconds: number };

export interface ActionResult {
  /** What happened, for the report (e.g. "stopped container kind-worker2", "advanced 360 s"). */
  summary: string;
  /** Set when the backend could only approximate the action (kind: tainting instead of waiting). */
  approximation?: string;
}

export interface ApplyItem {
  ref: ObjectRef;
  file: string;
  line?: number;
  action: 'created' | 'configured' | 'unchanged';
}

export interface ApplyFailure {
  file: string;
  line?: number;
  ref?: ObjectRef;
  /** As kubectl prints it: `The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 8080: …`. */
  message: string;
}

export interface ApplyResult {
  applied: ApplyItem[];
  failed: ApplyFailure[];
  warnings: string[];
}

export interface RolloutResult {
  /** Whether every Deployment, StatefulSet and DaemonSet finished rolling out before the bound. */
  complete: boolean;
  /** Per workload, kubectl rollout status's words. */
  workloads: { ref: ObjectRef; ready: boolean; message: string }[];
  waitedSeconds: number;
}

export interface BackendCapabilities {
  /** Time can be advanced instantly (sim); on kind, `advance` is a real, bounded wait. */
  virtualTime: boolean;
  /** Responses identify the serving pod even for images that do not echo their hostname. */
  attributesEveryResponse: boolean;
  /** Maximum `advance` the backend accepts, in seconds. */
  maxAdvanceSeconds: number;
}

export interface Backend {
  readonly name: 'sim' | 'kind';
  readonly capabilities: BackendCapabilities;
  start(shape: ClusterShape, opts: BackendOptions): Promise<void>;
  apply(documents: LoadedDocument[]): Promise<ApplyResult>;
  waitForRollout(timeoutSeconds: number): Promise<RolloutResult>;
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  list(kind: string, namespace?: string): Promise<KubeObject[]>;
  dns(q: DnsQuery): Promise<DnsResult>;
  http(p: HttpProbe): Promise<HttpResult>;
  /**
   * The same request `count` times, in order, as a client in a loop sends it: a new connection
   * each time, or one kept-alive connection when `connectionKey` is set. Each answer is handed
   * to `each` as it is known and not kept: a caller that only counts (a distribution) then holds
   * no more than one answer at a time, where 600 kept answers with their traces made the
   * simulator spend more time in the garbage collector than on the requests. An answer may write
   * its body only when the body is read (the simulator's echo servers do). Optional: without
   * it callers call http() `count` times. The kind backend runs the loop in its probe pod in one
   * exec (an exec per request would make a 600-request check take minutes).
   */
  httpRepeat?(p: HttpProbe, count: number, each: (r: HttpResult, i: number) => void): Promise<void>;
  tcp(p: TcpProbe): Promise<TcpResult>;
  act(a: Action): Promise<ActionResult>;
  /** kubectl-like views of the cluster (`get pods -o wide`, `get svc`, …) for --explain and evidence. */
  views(namespace?: string): Promise<string>;
  /**
   * Where the ingress controller is reached from outside (`{{ingressIP}}`). Optional: without
   * it the checks use the hostIP of the ingress-nginx controller pod (kind's hostPort setup).
   */
  ingressAddress?(): Promise<string | undefined>;
  /**
   * A started backend in exactly this one's current state, independent of it from then on.
   * Optional: the simulator copies itself in about a millisecond; a real cluster cannot, and
   * scenario checks there get a fresh cluster prepared the same way instead.
   */
  fork?(): Promise<Backend>;
  stop(): Promise<void>;
}
