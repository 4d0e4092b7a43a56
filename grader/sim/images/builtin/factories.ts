/**
 * Building blocks for catalogue entries: server images (their own process, unless the pod
 * overrides `command` with something that does not start it) and tool images (busybox, curl:
 * whatever argv says), plus argument and env helpers.
 */
import type { ContainerRuntimeInfo, HttpReply, HttpRequestInfo, ImageSpec, Listener, ProcessNetwork } from '../types.ts';
import { analyseScript, applyWrites, basename, fetchCommandOf, outputLines, scriptOf, shellOutput, type ShellFacts } from '../shell.ts';
import { imageTag } from '../reference.ts';
import { STATUS_CODES } from 'node:http';

export function argv(c: ContainerRuntimeInfo): string[] {
  return [...(c.command ?? []), ...c.args];
}

/** The value of a flag in args: `-listen=:5678`, `--http-port 8080`, `--port=80`. */
export function flag(args: string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) {
      for (const dash of ['-', '--']) {
        const f = dash + n;
        if (a === f && i + 1 < args.length) return args[i + 1];
        if (a.startsWith(`${f}=`)) return a.slice(f.length + 1);
      }
    }
  }
  return undefined;
}

/** ":5678", "0.0.0.0:8080", "8080" → the port. */
export function portOf(v: string | undefined, dflt: number): number {
  if (!v) return dflt;
  const m = /(\d+)\s*$/.exec(v);
  return m ? Number(m[1]) : dflt;
}

export function tcp(port: number, app: Listener['app'] = 'http'): Listener {
  return { port, protocol: 'TCP', app };
}

export function tagOf(c: ContainerRuntimeInfo): string {
  return imageTag(c.container.image) ?? 'latest';
}

/** A line of a real image's version from its tag, when the tag looks like one. */
export function versionFromTag(c: ContainerRuntimeInfo, dflt: string): string {
  const t = tagOf(c);
  return /^v?\d+(\.\d+)*/.test(t) ? t.replace(/^v/, '').replace(/[-_].*$/, '') : dflt;
}

/** Ports the pod spec declares, as http listeners: how an unknown server program is assumed to behave. */
export function declaredPorts(c: ContainerRuntimeInfo): Listener[] {
  return (c.container.ports ?? []).map((p) => ({ port: p.containerPort, protocol: (p.protocol === 'UDP' ? 'UDP' : 'TCP') as 'TCP' | 'UDP', app: 'http' as const }));
}

const SERVER_PROGRAM = /\b(node\s+\S+\.js|npm\s+(run\s+)?start|python[0-9.]*\s+\S+\.py|gunicorn|uvicorn|flask\s+run|java\s+-jar|exec\s+\S+)/;

function shellFacts(c: ContainerRuntimeInfo, script: string): ShellFacts {
  const f = analyseScript(script);
  if (!f.runs && SERVER_PROGRAM.test(script)) return { ...f, runs: true, fails: undefined, listeners: declaredPorts(c) };
  return f;
}

function shellHttp(c: ContainerRuntimeInfo, req: HttpRequestInfo): HttpReply {
  const path = req.path.split('?')[0]!;
  const file = c.files?.read(path === '/' ? '/index.html' : path);
  if (file !== undefined) return { status: 200, headers: { 'content-type': 'text/html' }, body: file };
  return { status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body>404 Not Found</body></html>\n' };
}

/**
 * A script that ends with a one-shot `curl URL` or `wget URL` exits as that tool does: 0 when
 * the server answered, the tool's error and exit status when the name does not resolve, the
 * connection is refused or times out. (HTTP status codes are not looked at: curl exits 0 on a
 * 404 without -f; busybox wget's exit 1 on an HTTP error is not modelled.) Asked only when the
 * container starts, since it opens a connection from the pod.
 */
function fetchFailure(c: ContainerRuntimeInfo, script: string): string | undefined {
  const cmd = fetchCommandOf(script);
  const net = c.network?.();
  if (!cmd || !net) return undefined;
  const { host, port } = cmd;
  // Where the answer decides the exit code (busybox wget and curl -f look at the status, curl
  // verifies an HTTPS certificate unless -k), the whole request is made; otherwise connecting
  // is what can fail.
  const verifies = cmd.tool === 'curl' && !cmd.insecure && /^https:/i.test(cmd.url);
  if ((cmd.tool === 'wget' || cmd.fail || verifies) && net.fetch) {
    const f = net.fetch(cmd.url, cmd.follow);
    if (f.ok) {
      // OpenSSL 3's wording; the chain is judged before the host name, so a self-signed
      // certificate reads the same whether or not it names the host.
      if (cmd.tool === 'curl' && !cmd.insecure && f.untrustedCertificate) {
        const why = f.untrustedCertificate === 'self-signed' ? 'self-signed certificate' : 'unable to get local issuer certificate';
        return `curl: (60) SSL certificate problem: ${why}\nexit status 60`;
      }
      if (f.status < 400 || (cmd.tool === 'curl' && !cmd.fail)) return undefined;
      // curl ≥ 7.76 prints the code alone; busybox wget the status line it got.
      return cmd.tool === 'curl'
        ? `curl: (22) The requested URL returned error: ${f.status}\nexit status 22`
        : `${wgetTlsNote(cmd.url)}wget: server returned error: HTTP/1.1 ${f.status} ${STATUS_CODES[f.status] ?? ''}`.trimEnd() + '\nexit status 1';
    }
    if (f.error === 'empty reply from server' || f.error === 'TLS handshake failed') {
      if (cmd.tool === 'wget') return `${wgetTlsNote(cmd.url)}wget: error getting response\nexit status 1`;
      return f.error === 'TLS handshake failed'
        ? `curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to ${host}:${port}\nexit status 35`
        : 'curl: (52) Empty reply from server\nexit status 52';
    }
    return connectFailure(cmd.tool, host, port, f.error, net);
  }
  const r = net.connect(host, port);
  if (r.ok) {
    if (r.app === 'http' || r.app === 'https') return undefined;
    return cmd.tool === 'curl' ? 'curl: (1) Received HTTP/0.9 when not allowed\nexit status 1' : 'wget: error getting response\nexit status 1';
  }
  return connectFailure(cmd.tool, host, port, r.error, net);
}

/**
 * busybox wget does not verify certificates; once connected over TLS it says so on stderr and
 * goes on (docker-library/busybox#80: `wget: note: TLS certificate validation not implemented`).
 */
function wgetTlsNote(url: string): string {
  return /^https:/i.test(url) ? 'wget: note: TLS certificate validation not implemented\n' : '';
}

/** The tool's message and exit status when the connection itself failed. */
function connectFailure(tool: 'curl' | 'wget', host: string, port: number, error: string, net: ProcessNetwork): string {
  if (tool === 'curl') {
    if (error.startsWith('could not resolve')) return `curl: (6) Could not resolve host: ${host}\nexit status 6`;
    if (error === 'timed out') return `curl: (28) Failed to connect to ${host} port ${port} after 130000 ms: Timeout was reached\nexit status 28`;
    if (error === 'no route to host') return `curl: (7) Failed to connect to ${host} port ${port} after 3 ms: No route to host\nexit status 7`;
    return `curl: (7) Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server\nexit status 7`;
  }
  if (error.startsWith('could not resolve')) return `wget: bad address '${host}'\nexit status 1`;
  if (error === 'timed out') return 'wget: download timed out\nexit status 1';
  const ip = net.resolve(host) ?? host;
  return `wget: can't connect to remote host (${ip}): ${error === 'no route to host' ? 'No route to host' : 'Connection refused'}\nexit status 1`;
}

/** The behaviour of an argv run as PID 1 in a shell-capable image. */
function shellSpec(c: ContainerRuntimeInfo, script: string) {
  const f = shellFacts(c, script);
  return {
    listeners: f.listeners,
    get crashReason() {
      return f.fails ?? (f.runs ? undefined : fetchFailure(c, script));
    },
    completes: !f.runs && !f.fails,
    // A shell or sleep as PID 1 has no SIGTERM handler, so it is killed only after the grace period.
    ignoresSigterm: true,
    onStart: () => applyWrites(f, c.files),
    // What it prints: `cat /etc/hosts` reads the kubelet's managed file through the container's files.
    logs: () => outputLines(shellOutput(script, c.env), c.files),
  };
}

export interface ServerOptions {
  names: string[];
  description: string;
  /** Words that, in an overriding command, mean the image's own server is still started. */
  daemons?: string[];
  listeners(c: ContainerRuntimeInfo): Listener[];
  crashReason?(c: ContainerRuntimeInfo): string | undefined;
  completes?(c: ContainerRuntimeInfo): boolean;
  http?(c: ContainerRuntimeInfo, req: HttpRequestInfo, net: ProcessNetwork): HttpReply;
  logs?(c: ContainerRuntimeInfo): string[];
  onStart?(c: ContainerRuntimeInfo): void;
}

export function serverImage(o: ServerOptions): ImageSpec {
  const overridden = (c: ContainerRuntimeInfo): string | undefined => {
    if (!c.command?.length) return undefined;
    const script = scriptOf(argv(c));
    const daemons = o.daemons ?? [];
    // The daemon must appear as a program (`exec mysqld`, `/usr/sbin/nginx -g …`), not inside text such as `echo [mysqld]`.
    const runsDaemon = daemons.some((d) => new RegExp(`(^|[\\s;&|/])${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[\\s;&|])`).test(script));
    if (runsDaemon || /docker-entrypoint|entrypoint\.sh/.test(script)) return undefined;
    return script;
  };
  return {
    names: o.names,
    description: o.description,
    listeners: (c) => { const s = overridden(c); return s !== undefined ? shellSpec(c, s).listeners : o.listeners(c); },
    crashReason: (c) => { const s = overridden(c); return s !== undefined ? shellSpec(c, s).crashReason : o.crashReason?.(c); },
    completes: (c) => { const s = overridden(c); return s !== undefined ? shellSpec(c, s).completes : (o.completes?.(c) ?? false); },
    http: (c, req, net) => {
      const s = overridden(c);
      if (s !== undefined || !o.http) return shellHttp(c, req);
      return o.http(c, req, net);
    },
    ignoresSigterm: (c) => overridden(c) !== undefined,
    logs: (c) => { const s = overridden(c); return s !== undefined ? shellSpec(c, s).logs() : (o.logs?.(c) ?? []); },
    onStart: (c) => { const s = overridden(c); if (s !== undefined) shellSpec(c, s).onStart(); else o.onStart?.(c); },
  };
}

export interface ToolOptions {
  names: string[];
  description: string;
  /** What the image does with no command and no args (its default CMD). */
  byDefault: { completes: true } | { crash: string };
}

/** Images that are a shell and tools: the pod's argv decides everything. */
export function toolImage(o: ToolOptions): ImageSpec {
  const spec = (c: ContainerRuntimeInfo) => {
    const a = argv(c);
    if (a.length === 0) {
      return 'crash' in o.byDefault
        ? { listeners: [], crashReason: o.byDefault.crash, completes: false, ignoresSigterm: true, onStart: () => {}, logs: () => [] }
        : { listeners: [], crashReason: undefined, completes: true, ignoresSigterm: true, onStart: () => {}, logs: () => [] };
    }
    // A lone program name (["sleep", "3600"], ["curl", "-s", url]) reads the same as a script.
    return shellSpec(c, scriptOf(a));
  };
  return {
    names: o.names,
    description: o.description,
    listeners: (c) => spec(c).listeners,
    crashReason: (c) => spec(c).crashReason,
    completes: (c) => spec(c).completes,
    http: (c, req) => shellHttp(c, req),
    ignoresSigterm: (c) => spec(c).ignoresSigterm,
    onStart: (c) => spec(c).onStart(),
    logs: (c) => spec(c).logs(),
  };
}

/** Host part of "host:port" or a URL. */
export function hostPort(v: string, dfltPort: number): { host: string; port: number } {
  const s = v.replace(/^[a-z+]+:\/\//, '').replace(/^[^@/]*@/, '').split(/[/?]/)[0]!;
  const m = /^(.*?)(?::(\d+))?$/.exec(s)!;
  return { host: m[1]!, port: m[2] ? Number(m[2]) : dfltPort };
}

/** Whether the process can reach `host:port` answering with `app` (a database, a cache). */
export function reaches(net: ProcessNetwork, host: string, port: number, app?: string): boolean {
  const ip = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : net.resolve(host);
  if (!ip) return false;
  const r = net.connect(ip, port);
  return r.ok && (!app || !r.app || r.app === app);
}

/**
 * A reply whose body is written when something reads it. An echo server's body (whoami prints
 * every request header) is most of a request's cost, and a distribution check sends hundreds
 * of requests and reads none of the bodies. `render` is a module-level function of the
 * container and the request, so no closure is made per request.
 */
export class LazyReply implements HttpReply {
  private text: string | undefined;
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    private readonly render: (c: ContainerRuntimeInfo, req: HttpRequestInfo) => string,
    private readonly c: ContainerRuntimeInfo,
    private readonly req: HttpRequestInfo,
  ) {}

  get body(): string {
    return (this.text ??= this.render(this.c, this.req));
  }
}

export function html(status: number, body: string, extra?: Record<string, string>): HttpReply {
  return { status, headers: extra ? { 'content-type': 'text/html', ...extra } : { 'content-type': 'text/html' }, body };
}

export function text(status: number, body: string, extra?: Record<string, string>): HttpReply {
  return { status, headers: extra ? { 'content-type': 'text/plain; charset=utf-8', ...extra } : { 'content-type': 'text/plain; charset=utf-8' }, body };
}

export function json(status: number, value: unknown, extra: Record<string, string> = {}): HttpReply {
  return { status, headers: { 'content-type': 'application/json', ...extra }, body: `${JSON.stringify(value)}\n` };
}

export { basename };
