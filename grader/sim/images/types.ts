/**
 * The image catalogue's contract. The kubelet asks it whether a container can start (and
 * why not), which ports its process listens on, and the network asks it what the process
 * answers. Entries are data (catalog YAML, or a lab's `images:`), optionally pointing at a
 * built-in behaviour for images whose answer depends on the cluster (wordpress → mysql).
 */
import type { Container, Pod } from '../api/types.ts';

export type AppProtocol = 'http' | 'https' | 'mysql' | 'redis' | 'mongodb' | 'tcp' | 'dns';

export interface Listener {
  port: number;
  protocol: 'TCP' | 'UDP';
  app: AppProtocol;
}

/** A container as the kubelet runs it: env resolved from values, ConfigMaps, Secrets, fieldRefs. */
export interface ContainerRuntimeInfo {
  pod: Pod;
  container: Container;
  env: Record<string, string>;
  args: string[];
  /** command + args after $(VAR) expansion, as the process sees argv (image defaults not applied). */
  command?: string[];
  /** The container's files where they are backed by a volume (PVC data survives restarts; emptyDir lives with the pod). */
  files?: ContainerFiles;
  /**
   * Another running process a connection reached (a pod name from ProcessNetwork.connect, or
   * this pod for localhost: containers share the pod's network namespace), with its own
   * network view. Lets stateful protocols (redis replication, exporters) reach the peer's data.
   */
  peer?(target: { pod: string; namespace?: string }, port: number): PeerProcess | undefined;
  /**
   * The pod's network as its process sees it (resolver with the pod's search path, connections
   * from the pod IP). Lets a one-shot client decide at start whether it exits 0 or fails.
   */
  network?(): ProcessNetwork;
}

/** A process reached over the network, as image behaviours may inspect it. */
export interface PeerProcess {
  info: ContainerRuntimeInfo;
  image: ImageSpec;
  net: ProcessNetwork;
}

/** File access for an image behaviour: paths are absolute inside the container. */
export interface ContainerFiles {
  read(path: string): string | undefined;
  write(path: string, data: string, append?: boolean): void;
  /** Files under a directory (absolute paths), sorted. */
  list(dir: string): string[];
}

/** What a process can see of the network when it answers (wordpress dialing its database). */
export interface ProcessNetwork {
  /** Resolve a name as the pod's resolver would (search path, ndots). undefined = NXDOMAIN. */
  resolve(name: string): string | undefined;
  /** Open a TCP connection from this pod; reports what answered. */
  connect(host: string, port: number): { ok: true; app?: AppProtocol; pod?: string; namespace?: string } | { ok: false; error: string };
  /**
   * GET a URL from this pod as an HTTP client does (following redirects when asked): the
   * status, or why there was none (`could not resolve host`, `connection refused`, `timed out`,
   * `no route to host`, `empty reply from server`, `TLS handshake failed`). An HTTPS answer
   * whose certificate no public CA signed (every certificate inside the simulated cluster)
   * says so in `untrustedCertificate`, for clients that verify.
   */
  fetch?(url: string, followRedirects: boolean): { ok: true; status: number; untrustedCertificate?: 'self-signed' | 'unknown-issuer' } | { ok: false; error: string };
}

export interface HttpRequestInfo {
  method: string;
  path: string;
  host: string;
  port: number;
  headers: Record<string, string>;
  /** The client's address as the process sees it (`ip:port`), when known. */
  remoteAddr?: string;
  /** Request body, for POST/PUT. */
  body?: string;
}

export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface ImageSpec {
  /** Repository names this entry matches, without tag: `nginx`, `traefik/whoami`, `registry.k8s.io/echoserver`. */
  names: string[];
  description: string;
  /** Ports the process listens on for this container (may depend on env or args). */
  listeners(c: ContainerRuntimeInfo): Listener[];
  /** Why the process exits at start (→ CrashLoopBackOff), or undefined if it runs. */
  crashReason?(c: ContainerRuntimeInfo): string | undefined;
  /** Whether the process exits 0 on its own (a Job-like command): the pod ends Succeeded. */
  completes?(c: ContainerRuntimeInfo): boolean;
  /** The HTTP answer on an http listener. Answers should name the pod that served them. */
  http?(c: ContainerRuntimeInfo, req: HttpRequestInfo, net: ProcessNetwork): HttpReply;
  /** The process ignores SIGTERM (e.g. `sleep` as PID 1), so deletion waits the whole terminationGracePeriodSeconds. */
  ignoresSigterm?(c: ContainerRuntimeInfo): boolean;
  /** Log lines the process prints at start (kubectl logs); crashReason's text is appended for crashing processes. */
  logs?(c: ContainerRuntimeInfo): string[];
  /** Side effects at start: e.g. a shell command writing a file to a volume. */
  onStart?(c: ContainerRuntimeInfo): void;
}

export interface ImageCatalog {
  /** The entry for an image reference (`nginx:1.25`, `docker.io/library/nginx@sha256:…`), if known. */
  lookup(image: string): ImageSpec | undefined;
  /** Add or replace entries (lab-provided images). */
  register(spec: ImageSpec): void;
}
