/**
 * How checks become commands on a real cluster, and how their output becomes results.
 * In-cluster probes run in a probe pod (netshoot: dig, curl, nc, openssl); parsing is pure
 * so it is unit-tested against recorded outputs.
 */
import type { DnsRecord, DnsResult, DnsType, HttpProbe, HttpResult, ServedBy, TcpResult } from '../types.ts';

export const PROBE_IMAGE = 'nicolaka/netshoot:v0.13';
export const PROBE_POD = 'kubelab-probe';
const MARK = '__KUBELAB__';

/** The probe pod for a namespace: sleeps forever, resolves like any pod (ClusterFirst). */
export function probePodManifest(namespace: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: PROBE_POD, namespace, labels: { 'app.kubernetes.io/managed-by': 'kubelab' } },
    spec: {
      containers: [{ name: 'probe', image: PROBE_IMAGE, command: ['sleep', 'infinity'], resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
      terminationGracePeriodSeconds: 0,
    },
  };
}

/** `dig +search` honours the pod's resolv.conf (search path, ndots), as an application would. */
export function digCommand(name: string, type: DnsType): string[] {
  return ['dig', '+search', '+nocookie', '+time=2', '+tries=2', '+noall', '+comments', '+answer', name, type];
}

export function parseDig(output: string): Omit<DnsResult, 'trace'> {
  const status = /status: ([A-Z]+)/.exec(output)?.[1] ?? 'SERVFAIL';
  const answers: DnsRecord[] = [];
  let inAnswer = false;
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (line.startsWith(';; ANSWER SECTION')) { inAnswer = true; continue; }
    if (line.startsWith(';;')) { if (inAnswer && line !== '') inAnswer = line.startsWith(';; ANSWER'); continue; }
    if (!line || line.startsWith(';')) continue;
    const m = /^(\S+)\s+(\d+)\s+IN\s+([A-Z]+)\s+(.+)$/.exec(line);
    if (!m) continue;
    answers.push({ name: m[1]!, ttl: Number(m[2]), type: m[3] as DnsType, data: m[4]!.trim() });
  }
  const rcode = (['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED'] as const).find((r) => r === status) ?? 'SERVFAIL';
  return { rcode, qname: answers[0]?.name, answers };
}

/** curl with headers and body on stdout, then a marker line with the status and remote address. */
export function curlCommand(p: HttpProbe): string[] {
  const url = new URL(p.url);
  const args = ['curl', '-sS', '-i', '--max-time', '5', '-k', '-X', p.method ?? 'GET'];
  for (const [k, v] of Object.entries(p.headers ?? {})) args.push('-H', `${k}: ${v}`);
  const cookies = Object.entries(p.cookies ?? {}).map(([k, v]) => `${k}=${v}`).join('; ');
  if (cookies) args.push('--cookie', cookies);
  if (p.connectTo) {
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    args.push('--resolve', `${url.hostname}:${port}:${p.connectTo}`);
  }
  if (p.followRedirects) args.push('-L');
  args.push('-w', `\n${MARK}%{http_code} %{remote_ip}`, p.url);
  return args;
}

const RC_MARK = '__KUBELAB_RC__';

/** A word for bash, single-quoted. */
function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The same request `count` times in one exec (a distribution check sends hundreds; one exec per
 * request would take minutes). Without keep-alive a bash loop runs a new curl — a new
 * connection, so a new kube-proxy choice — each time and prints its exit code; with keep-alive
 * one curl fetches the URL `count` times over its one connection, printing the -w line after
 * each transfer.
 */
export function curlRepeatCommand(p: HttpProbe, count: number, keepAlive: boolean): string[] {
  const args = curlCommand(p);
  const url = args.pop()!;
  // -w ends each transfer's report with a newline, so the next response starts on its own line.
  const w = args.lastIndexOf('-w');
  args[w + 1] = `${args[w + 1]}\n`;
  if (keepAlive) return [...args, ...Array.from({ length: count }, () => url)];
  const line = [...args, url].map(shellQuote).join(' ');
  return ['bash', '-c', `for i in $(seq ${count}); do ${line} 2>&1; echo "${RC_MARK}$?"; done`];
}

/** The answers of curlRepeatCommand, in order; requests without an answer (the exec ended early) time out. */
export function parseCurlRepeat(stdout: string, exitCode: number, stderr: string, count: number, keepAlive: boolean): HttpResult[] {
  const out: HttpResult[] = [];
  if (keepAlive) {
    const re = new RegExp(`\n${MARK}(\\d{3}) (\\S*)(?:\n|$)`, 'g');
    let from = 0;
    for (let m = re.exec(stdout); m && out.length < count; m = re.exec(stdout)) {
      const chunk = stdout.slice(from, m.index);
      from = m.index + m[0].length;
      // curl reports 000 for a transfer that got no answer; the exit code says why.
      out.push(m[1] === '000' ? parseCurl('', exitCode || 28, stderr) : parseCurl(`${chunk}\n${MARK}${m[1]} ${m[2]}`, 0, ''));
    }
  } else {
    const re = new RegExp(`${RC_MARK}(\\d+)\n?`, 'g');
    let from = 0;
    for (let m = re.exec(stdout); m && out.length < count; m = re.exec(stdout)) {
      const chunk = stdout.slice(from, m.index);
      from = m.index + m[0].length;
      const rc = Number(m[1]);
      out.push(rc === 0 ? parseCurl(chunk, 0, '') : parseCurl('', rc, chunk));
    }
  }
  const answered = out.length;
  while (out.length < count) out.push({ ok: false, error: 'timed out', trace: [{ component: 'client', detail: `the probe pod's request loop ended after ${answered} of ${count} requests (exit ${exitCode})` }] });
  return out;
}

/** curl's exit codes and messages mapped to the probe errors the simulator reports. */
export function curlError(exitCode: number, stderr: string): string {
  if (exitCode === 6) return 'could not resolve host';
  // Newer curl says "Couldn't connect to server" for a refused connection; only EHOSTUNREACH
  // reads "No route to host".
  if (exitCode === 7) return /no route to host/i.test(stderr) ? 'no route to host' : 'connection refused';
  if (exitCode === 28) return 'timed out';
  if (exitCode === 35 || exitCode === 60) return 'TLS handshake failed';
  if (exitCode === 52) return 'empty reply from server';
  return `curl exit ${exitCode}: ${stderr.trim().split('\n').pop() ?? ''}`;
}

export function parseCurl(stdout: string, exitCode: number, stderr: string): HttpResult {
  if (exitCode !== 0) return { ok: false, error: curlError(exitCode, stderr), trace: [{ component: 'client', detail: `curl: ${stderr.trim()}` }] };
  const idx = stdout.lastIndexOf(MARK);
  const tail = idx >= 0 ? stdout.slice(idx + MARK.length).trim() : '';
  const [code, remote] = tail.split(' ');
  // The -w report starts with a newline of its own: it is not part of the body.
  let raw = idx >= 0 ? stdout.slice(0, idx).replace(/\n$/, '') : stdout;
  // With -L curl prints every response; the last header block is the one that counts.
  let headerEnd = raw.search(/\r?\n\r?\n/);
  while (headerEnd >= 0 && /^HTTP\/[\d.]+ 3\d\d/.test(raw) && raw.slice(headerEnd).replace(/^\r?\n\r?\n/, '').startsWith('HTTP/')) {
    raw = raw.slice(headerEnd).replace(/^\r?\n\r?\n/, '');
    headerEnd = raw.search(/\r?\n\r?\n/);
  }
  const head = headerEnd >= 0 ? raw.slice(0, headerEnd) : raw;
  const body = headerEnd >= 0 ? raw.slice(headerEnd).replace(/^\r?\n\r?\n/, '') : '';
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/).slice(1)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  return {
    ok: true,
    status: Number(code),
    headers,
    body,
    servedBy: servedByFromBody(body, headers),
    trace: [{ component: 'client', detail: `curl answered ${code} from ${remote ?? '?'}` }],
  };
}

/**
 * Which pod answered, when the image says so: traefik/whoami prints `Hostname: <pod>`,
 * http-echo and nginx do not (the kind backend then cannot attribute the answer).
 */
export function servedByFromBody(body: string, headers: Record<string, string>): ServedBy | undefined {
  const h = headers['x-served-by'] ?? headers['x-pod-name'];
  if (h) return { pod: h, namespace: '' };
  const m = /^Hostname: (\S+)$/m.exec(body);
  return m ? { pod: m[1]!, namespace: '' } : undefined;
}

/** `nc -z` separates refused (exit 1 quickly, "refused" on stderr) from a timeout. */
export function ncCommand(host: string, port: number): string[] {
  return ['nc', '-z', '-v', '-w', '3', host, String(port)];
}

export function parseNc(exitCode: number, stderr: string): TcpResult['result'] {
  if (exitCode === 0) return 'connected';
  if (/refused/i.test(stderr)) return 'refused';
  if (/resolve|unknown host|bad address/i.test(stderr)) return 'unresolved';
  return 'timeout';
}
