/**
 * Web servers and echo images. Bodies follow the real images: nginx's welcome page and error
 * pages, httpd's "It works!", traefik/whoami's request dump, hashicorp/http-echo's text,
 * agnhost netexec/serve-hostname, echoserver's report, hello-app's three lines.
 */
import { compareStrings } from '../../../util/compare.ts';
import type { ContainerRuntimeInfo, HttpReply, HttpRequestInfo, ImageSpec } from '../types.ts';
import { LazyReply, argv, flag, hostPort, html, json, portOf, reaches, serverImage, tcp, text, versionFromTag } from './factories.ts';

const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

export function nginxError(status: number, reason: string, version: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
}

/** Serve files from a document root; files come from volumes or writes, else the image's own pages. */
function staticSite(c: ContainerRuntimeInfo, req: HttpRequestInfo, root: string, builtin: Record<string, string>, notFound: () => HttpReply, headers: Record<string, string>): HttpReply {
  let path = decodeURIComponent(req.path.split('?')[0] || '/');
  if (path.endsWith('/')) path += 'index.html';
  const onVolume = c.files?.read(root + path);
  if (onVolume !== undefined) return html(200, onVolume, headers);
  // A volume mounted over the document root hides the image's own files.
  const mountedRoot = c.container.volumeMounts?.some((m) => root === m.mountPath.replace(/\/+$/, '') || root.startsWith(`${m.mountPath.replace(/\/+$/, '')}/`));
  if (!mountedRoot && builtin[path] !== undefined) return html(200, builtin[path]!, headers);
  if (mountedRoot && path === '/index.html') return { ...notFound(), status: 403, body: notFound().body.replace(/404 Not Found/g, '403 Forbidden') };
  return notFound();
}

function nginxVersion(c: ContainerRuntimeInfo): string {
  const v = versionFromTag(c, '1.27.3');
  return /^\d+\.\d+\.\d+$/.test(v) ? v : /^\d+\.\d+$/.test(v) ? `${v}.0` : '1.27.3';
}

function nginxLike(names: string[], description: string, port = 80, extra: ImageSpec['listeners'] = () => []): ImageSpec {
  return serverImage({
    names,
    description,
    daemons: ['nginx'],
    listeners: (c) => [tcp(port), ...extra(c)],
    http: (c, req) => {
      const v = nginxVersion(c);
      const headers = { server: `nginx/${v}` };
      return staticSite(c, req, '/usr/share/nginx/html', { '/index.html': NGINX_WELCOME, '/50x.html': nginxError(500, 'Internal Server Error', v) }, () => html(404, nginxError(404, 'Not Found', v), headers), headers);
    },
  });
}

export const webImages: ImageSpec[] = [
  nginxLike(['nginx', 'gcr.io/google_containers/nginx', 'registry.k8s.io/nginx', 'registry.k8s.io/nginx-slim', 'k8s.gcr.io/nginx-slim', 'nginx/nginx'], 'nginx web server: welcome page on port 80'),
  nginxLike(['nginxinc/nginx-unprivileged', 'bitnami/nginx'], 'nginx running unprivileged: port 8080', 8080),
  nginxLike(['bprashanth/nginxhttps'], 'nginx with TLS from /etc/nginx/ssl: ports 80 and 443', 80, () => [tcp(443, 'https')]),
  serverImage({
    names: ['httpd'],
    description: 'Apache httpd: "It works!" on port 80',
    daemons: ['httpd'],
    listeners: () => [tcp(80)],
    http: (c, req) => staticSite(c, req, '/usr/local/apache2/htdocs', { '/index.html': '<html><body><h1>It works!</h1></body></html>\n' },
      () => html(404, '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n'), { server: 'Apache/2.4.62 (Unix)' }),
  }),
  serverImage({
    names: ['caddy'],
    description: 'Caddy: welcome page on port 80',
    daemons: ['caddy'],
    listeners: () => [tcp(80)],
    http: () => html(200, '<!DOCTYPE html>\n<html><head><title>Caddy works!</title></head><body><h1>Caddy works!</h1></body></html>\n', { server: 'Caddy' }),
  }),
  serverImage({
    names: ['traefik/whoami', 'containous/whoami'],
    description: 'traefik/whoami: prints the pod hostname, IPs and the request (port 80, WHOAMI_PORT_NUMBER or --port)',
    daemons: ['whoami'],
    listeners: (c) => [tcp(portOf(flag(c.args, 'port') ?? c.env.WHOAMI_PORT_NUMBER, 80))],
    http: (c, req) => {
      const path = req.path.split('?')[0];
      if (path === '/health') return text(200, '');
      const ip = c.pod.status?.podIP ?? '';
      if (path === '/api') {
        return json(200, { hostname: c.pod.metadata.name, ip: ['127.0.0.1', '::1', ip], headers: req.headers, url: req.path, host: req.host, method: req.method, remoteAddr: req.remoteAddr ?? '' });
      }
      return new LazyReply(200, { 'content-type': 'text/plain; charset=utf-8' }, whoamiBody, c, req);
    },
  }),
  serverImage({
    names: ['hashicorp/http-echo'],
    description: 'hashicorp/http-echo: answers -text on -listen (default :5678)',
    daemons: ['http-echo'],
    listeners: (c) => [tcp(portOf(flag(argv(c), 'listen'), 5678))],
    crashReason: (c) => (flag(argv(c), 'text') === undefined ? 'Missing -text option!' : undefined),
    http: (c, req) => {
      const hdr = { 'x-app-name': 'http-echo', 'x-app-version': '1.0.0' };
      if (req.path.split('?')[0] === '/health') return json(200, { status: 'ok' }, hdr);
      return text(200, `${flag(argv(c), 'text') ?? ''}\n`, hdr);
    },
  }),
  serverImage({
    names: ['registry.k8s.io/e2e-test-images/agnhost', 'k8s.gcr.io/e2e-test-images/agnhost', 'gcr.io/kubernetes-e2e-test-images/agnhost'],
    description: 'agnhost test server: `netexec` (HTTP 8080: /hostname, /echo?msg=, /clientip), `serve-hostname` (9376), `pause`',
    daemons: ['agnhost'],
    listeners: (c) => {
      const sub = c.args[0];
      if (sub === 'netexec') return [tcp(portOf(flag(c.args, 'http-port'), 8080)), { port: portOf(flag(c.args, 'udp-port'), 8081), protocol: 'UDP', app: 'tcp' }];
      if (sub === 'serve-hostname') return [tcp(portOf(flag(c.args, 'port'), 9376))];
      if (sub === 'test-webserver') return [tcp(portOf(flag(c.args, 'port'), 80))];
      return [];
    },
    completes: (c) => !['netexec', 'serve-hostname', 'test-webserver', 'pause'].includes(c.args[0] ?? ''),
    http: (c, req) => {
      const sub = c.args[0];
      const [path, query = ''] = req.path.split('?');
      if (sub === 'serve-hostname') return text(200, c.pod.metadata.name);
      if (sub === 'test-webserver') return text(200, 'Hello World!');
      switch (path) {
        case '/hostname': return text(200, c.pod.metadata.name);
        case '/echo': return text(200, new URLSearchParams(query).get('msg') ?? '');
        case '/clientip': return text(200, req.remoteAddr ?? '');
        case '/healthz': case '/readyz': return text(200, '');
        case '/header': return text(200, req.headers[new URLSearchParams(query).get('key') ?? ''] ?? '');
        default: return text(200, 'NOW: 2024-01-01 00:00:00.000000000 +0000 UTC m=+0.000000001');
      }
    },
  }),
  serverImage({
    names: ['registry.k8s.io/echoserver', 'k8s.gcr.io/echoserver', 'gcr.io/google_containers/echoserver', 'registry.k8s.io/e2e-test-images/echoserver'],
    description: 'echoserver: reports the pod, server and request on port 8080 (8443 for HTTPS in e2e images)',
    daemons: ['nginx', 'run.sh'],
    listeners: (c) => (c.container.image.includes('e2e-test-images') ? [tcp(8080), tcp(8443, 'https')] : [tcp(8080)]),
    http: (c, req) => text(200, echoserverBody(c, req)),
  }),
  serverImage({
    names: ['ealen/echo-server'],
    description: 'ealen/echo-server: JSON echo of the request and the environment (port 80 or PORT)',
    daemons: ['node'],
    listeners: (c) => [tcp(Number(c.env.PORT ?? 80))],
    http: (c, req) => {
      const [path, query = ''] = req.path.split('?');
      return json(200, {
        host: { hostname: req.host, ip: req.remoteAddr?.split(':')[0] ?? '', ips: [] },
        http: { method: req.method, baseUrl: '', originalUrl: req.path, protocol: 'http' },
        request: { params: { '0': path }, query: Object.fromEntries(new URLSearchParams(query)), cookies: {}, body: {}, headers: req.headers },
        environment: { HOSTNAME: c.pod.metadata.name, ...c.env },
      });
    },
  }),
  serverImage({
    names: ['jmalloc/echo-server'],
    description: 'jmalloc/echo-server: echoes the request on port 8080 (PORT)',
    daemons: ['echo-server'],
    listeners: (c) => [tcp(Number(c.env.PORT ?? 8080))],
    http: (c, req) => text(200, `Request served by ${c.pod.metadata.name}\n\n${req.method} ${req.path} HTTP/1.1\n\nHost: ${req.host}\n${Object.entries(req.headers).map(([k, v]) => `${canonicalHeader(k)}: ${v}`).join('\n')}\n`),
  }),
  serverImage({
    names: ['gcr.io/google-samples/hello-app', 'us-docker.pkg.dev/google-samples/containers/gke/hello-app'],
    description: 'hello-app: "Hello, world!", version and hostname on port 8080 (PORT)',
    daemons: ['hello-app'],
    listeners: (c) => [tcp(Number(c.env.PORT ?? 8080))],
    http: (c) => text(200, `Hello, world!\nVersion: ${semver(versionFromTag(c, '1.0'))}\nHostname: ${c.pod.metadata.name}\n`),
  }),
  serverImage({
    names: ['gcr.io/google-samples/hello-go-gke'],
    description: 'hello-go-gke: the "hello" backend of the Services tutorial, JSON on port 80',
    listeners: () => [tcp(80)],
    http: () => json(200, { message: 'Hello' }),
  }),
  serverImage({
    names: ['gcr.io/google-samples/hello-frontend'],
    description: 'hello-frontend: nginx on port 80 proxying to the Service `hello`',
    daemons: ['nginx'],
    listeners: () => [tcp(80)],
    http: (_c, _req, net) => (reaches(net, 'hello', 80) ? json(200, { message: 'Hello' }, { server: 'nginx/1.14.2' }) : html(502, nginxError(502, 'Bad Gateway', '1.14.2'), { server: 'nginx/1.14.2' })),
  }),
  serverImage({
    names: ['nginxdemos/hello', 'nginxdemos/nginx-hello'],
    description: 'nginxdemos/hello: page naming the server (pod) name and address, port 80 (plain-text tag: text)',
    daemons: ['nginx'],
    listeners: () => [tcp(80)],
    http: (c, req) => {
      const body = `Server address: ${c.pod.status?.podIP ?? ''}:80\nServer name: ${c.pod.metadata.name}\nDate: 01/Jan/2024:00:00:00 +0000\nURI: ${req.path}\nRequest ID: 00000000000000000000000000000000\n`;
      return versionFromTag(c, '').includes('plain') || c.container.image.includes(':plain-text') ? text(200, body) : html(200, `<!DOCTYPE html><html><head><title>Hello World</title></head><body><p><span>Server&nbsp;address:</span> <span>${c.pod.status?.podIP ?? ''}:80</span></p><p><span>Server&nbsp;name:</span> <span>${c.pod.metadata.name}</span></p></body></html>\n`);
    },
  }),
  serverImage({
    names: ['stefanprodan/podinfo', 'ghcr.io/stefanprodan/podinfo'],
    description: 'podinfo: JSON with the hostname on port 9898',
    daemons: ['podinfo'],
    listeners: () => [tcp(9898), tcp(9999, 'tcp')],
    http: (c, req) => (['/healthz', '/readyz'].includes(req.path) ? json(200, { status: 'OK' }) : json(200, { hostname: c.pod.metadata.name, version: versionFromTag(c, '6.7.0'), message: `greetings from podinfo v${versionFromTag(c, '6.7.0')}` })),
  }),
  serverImage({
    names: ['paulbouwer/hello-kubernetes'],
    description: 'hello-kubernetes: page naming the pod and node, port 8080 (PORT)',
    listeners: (c) => [tcp(Number(c.env.PORT ?? 8080))],
    http: (c) => html(200, `<!DOCTYPE html><html><head><title>Hello Kubernetes!</title></head><body><div class="main"><div class="content"><div id="message">${c.env.MESSAGE ?? 'Hello world!'}</div><div id="info"><table><tr><th>pod:</th><td>${c.pod.metadata.name}</td></tr><tr><th>node:</th><td>${c.pod.spec.nodeName ?? ''}</td></tr></table></div></div></div></body></html>\n`),
  }),
  serverImage({
    names: ['gcr.io/kuar-demo/kuard-amd64'],
    description: 'kuard demo: port 8080, /healthy and /ready',
    listeners: () => [tcp(8080)],
    http: (c, req) => (['/healthy', '/ready'].includes(req.path) ? text(200, 'ok') : html(200, `<!doctype html><html><head><title>KUAR Demo</title></head><body>kuard on ${c.pod.metadata.name}</body></html>\n`)),
  }),
  serverImage({
    names: ['kennethreitz/httpbin', 'mccutchen/go-httpbin'],
    description: 'httpbin: /get, /headers, /status/<code> (port 80; go-httpbin 8080)',
    listeners: (c) => [tcp(c.container.image.includes('go-httpbin') ? Number(c.env.PORT ?? 8080) : 80)],
    http: (_c, req) => {
      const path = req.path.split('?')[0]!;
      const st = /^\/status\/(\d{3})/.exec(path);
      if (st) return text(Number(st[1]), '');
      if (path === '/headers') return json(200, { headers: req.headers });
      if (path === '/ip') return json(200, { origin: req.remoteAddr?.split(':')[0] ?? '' });
      return json(200, { args: {}, headers: req.headers, origin: req.remoteAddr?.split(':')[0] ?? '', url: `http://${req.host}${req.path}` });
    },
  }),
  serverImage({
    names: ['registry.k8s.io/ingress-nginx/custom-error-pages', 'quay.io/kubernetes-ingress-controller/custom-error-pages-amd64'],
    description: 'ingress-nginx custom error pages: answers the code in X-Code on port 8080',
    listeners: () => [tcp(8080)],
    http: (_c, req) => {
      const code = Number(req.headers['x-code'] ?? req.headers['X-Code'] ?? 404) || 404;
      return html(code, `<span>The page you're looking for could not be found.</span>\n`);
    },
  }),
  serverImage({
    names: ['registry.k8s.io/example-dns-backend', 'gcr.io/google_containers/example-dns-backend'],
    description: 'cluster-dns example backend: "Hello World!" on port 8000',
    listeners: () => [tcp(8000)],
    http: () => text(200, 'Hello World!'),
  }),
  serverImage({
    names: ['registry.k8s.io/example-dns-frontend', 'gcr.io/google_containers/example-dns-frontend', 'ddysher/dns-frontend'],
    description: 'cluster-dns example client (`python client.py URL`): resolves the URL\'s host, GETs it once, prints the answer and exits; an unresolvable name or a refused connection is an uncaught Python exception (exit 1)',
    // `python client.py URL` is the image's own program, not an override.
    daemons: ['client.py'],
    listeners: () => [],
    crashReason: (c) => dnsClient(c).error,
    completes: (c) => dnsClient(c).error === undefined,
    logs: (c) => dnsClient(c).lines,
  }),
];

/**
 * staging/cluster-dns/images/frontend/client.py: socket.gethostbyname(host) and print it, then
 * requests.get(url) and print the response and its body. The image's CMD is `python client.py`
 * with no address, which argparse refuses.
 */
function dnsClient(c: ContainerRuntimeInfo): { lines: string[]; error?: string } {
  const url = argv(c).find((a) => /^https?:\/\//.test(a));
  if (!url) return { lines: [], error: 'usage: client.py [-h] address\nclient.py: error: the following arguments are required: address' };
  const { host, port } = hostPort(url, url.startsWith('https') ? 443 : 80);
  const net = c.network?.();
  const ip = net?.resolve(host);
  const traceback = (where: string, exc: string) => `Traceback (most recent call last):\n  File "client.py", line 46, in <module>\n    Main()\n  File "client.py", line ${where}\n${exc}`;
  if (!net || !ip) return { lines: [], error: traceback('42, in Main\n    CheckServiceAddress(args.address)\n  File "client.py", line 29, in CheckServiceAddress\n    service_address = socket.gethostbyname(hostname)', 'socket.gaierror: [Errno -2] Name or service not known') };
  const lines = [ip, `Send request to: ${url}`];
  const conn = net.connect(ip, port);
  if (!conn.ok) {
    return { lines, error: traceback('43, in Main\n    GetServerResponse(args.address)\n  File "client.py", line 35, in GetServerResponse\n    response = requests.get(address)', `requests.exceptions.ConnectionError: HTTPConnectionPool(host='${host}', port=${port}): Max retries exceeded with url: / (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3c2a1b5d10>: Failed to establish a new connection: [Errno 111] Connection refused'))`) };
  }
  // The answer, when the process behind the connection is one the simulator can ask.
  const peer = conn.pod ? c.peer?.({ pod: conn.pod, namespace: conn.namespace }, port) : undefined;
  const path = url.replace(/^[a-z]+:\/\/[^/]*/, '') || '/';
  const reply = peer?.image.http?.(peer.info, { method: 'GET', path, host: `${host}:${port}`, port, headers: { 'user-agent': 'python-requests/2.9.1', accept: '*/*' } }, peer.net);
  lines.push(`<Response [${reply?.status ?? 200}]>`);
  if (reply?.body) lines.push(...reply.body.replace(/\n$/, '').split('\n'));
  return { lines };
}

function semver(v: string): string {
  const parts = v.split('.');
  while (parts.length < 3) parts.push('0');
  return parts.slice(0, 3).join('.');
}

/** Go's textproto.CanonicalMIMEHeaderKey. Header names repeat on every request: remembered (pure). */
/** traefik/whoami's request dump: the request's headers in their order, Host on its own line above them. */
function whoamiBody(c: ContainerRuntimeInfo, req: HttpRequestInfo): string {
  let hdrs = '';
  for (const k in req.headers) if (k.toLowerCase() !== 'host') hdrs += `${canonicalHeader(k)}: ${req.headers[k]}\r\n`;
  const name = c.env.WHOAMI_NAME ? `Name: ${c.env.WHOAMI_NAME}\n` : '';
  return `${name}Hostname: ${c.pod.metadata.name}\nIP: 127.0.0.1\nIP: ::1\nIP: ${c.pod.status?.podIP ?? ''}\nRemoteAddr: ${req.remoteAddr ?? ''}\n${req.method} ${req.path} HTTP/1.1\r\nHost: ${req.host}\r\n${hdrs}\r\n`;
}

const canonicalHeaders = new Map<string, string>();
function canonicalHeader(k: string): string {
  let c = canonicalHeaders.get(k);
  if (c === undefined) {
    c = k.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('-');
    if (canonicalHeaders.size < 4096) canonicalHeaders.set(k, c);
  }
  return c;
}

function echoserverBody(c: ContainerRuntimeInfo, req: HttpRequestInfo): string {
  const e = c.env;
  const podInfo = e.NODE_NAME || e.POD_NAME || e.POD_NAMESPACE || e.POD_IP
    ? `\tnode name:\t${e.NODE_NAME ?? ''}\n\tpod name:\t${e.POD_NAME ?? ''}\n\tpod namespace:\t${e.POD_NAMESPACE ?? ''}\n\tpod IP:\t${e.POD_IP ?? ''}`
    : '\t-no pod information available-';
  const [path, query = ''] = req.path.split('?');
  const headers = Object.entries({ host: req.host, ...req.headers }).map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort(([a], [b]) => compareStrings(a, b)).map(([k, v]) => `\t${k}=${v}`).join('\n');
  return `\n\nHostname: ${c.pod.metadata.name}\n\nPod Information:\n${podInfo}\n\nServer values:\n\tserver_version=nginx: 1.12.2 - lua: 10010\n\nRequest Information:\n\tclient_address=${req.remoteAddr?.split(':')[0] ?? ''}\n\tmethod=${req.method}\n\treal path=${path}\n\tquery=${query}\n\trequest_version=1.1\n\trequest_scheme=http\n\trequest_uri=http://${req.host}:${req.port}${req.path}\n\nRequest Headers:\n${headers}\n\nRequest Body:\n\t-no body in request-\n\n`;
}
