import { describe, expect, it } from 'vitest';
import { parseImageReference } from './reference.ts';
import { Catalog, builtinImages } from './catalog.ts';
import { analyseScript } from './shell.ts';
import { fromLabImage } from './lab-image.ts';
import type { ContainerRuntimeInfo, ProcessNetwork } from './types.ts';
import type { Container, Pod } from '../api/types.ts';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function info(container: Partial<Container> & { image: string }, env: Record<string, string> = {}): ContainerRuntimeInfo {
  const c: Container = { name: 'c', ...container };
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-7d9c-abcde', namespace: 'default' }, spec: { containers: [c], nodeName: 'kind-worker' }, status: { podIP: '10.244.1.7' } };
  return { pod, container: c, env, command: c.command, args: c.args ?? [] };
}

const noNet: ProcessNetwork = { resolve: () => undefined, connect: () => ({ ok: false, error: 'connection refused' }) };
const mysqlNet: ProcessNetwork = { resolve: (n) => (n === 'wordpress-mysql' ? '10.244.2.5' : undefined), connect: () => ({ ok: true, app: 'mysql' }) };

describe('image references', () => {
  it('expands Docker Hub names and defaults the tag like containerd', () => {
    const r = parseImageReference('nginx');
    expect(r.ok && r.full).toBe('docker.io/library/nginx:latest');
    expect(r.ok && r.repository).toBe('nginx');
    const d = parseImageReference('registry.k8s.io/redis@sha256:cb111d1bd870a6a471385a4a69ad17469d326e9dd91e0e455350cacf36e1b3ee');
    expect(d.ok && d.repository).toBe('registry.k8s.io/redis');
    expect(d.ok && d.full.endsWith(':latest')).toBe(false);
  });
  it('rejects what containerd cannot parse', () => {
    expect(parseImageReference('<YOUR-CONTAINER>')).toEqual({ ok: false, error: 'invalid reference format' });
    expect(parseImageReference('Nginx:1.25')).toEqual({ ok: false, error: 'invalid reference format: repository name must be lowercase' });
    expect(parseImageReference('nginx:').ok).toBe(false);
  });
});

describe('catalogue matching', () => {
  const cat = new Catalog();
  it('ignores docker.io/library, tags and digests', () => {
    const a = cat.lookup('nginx:1.14.2');
    expect(a).toBeDefined();
    expect(cat.lookup('docker.io/library/nginx@sha256:' + 'a'.repeat(64))).toBe(a);
    expect(cat.lookup('docker.io/nginx:1.25')).toBe(a);
    expect(cat.lookup('nginxx')).toBeUndefined();
  });
  const root = '/work/shared/corpus/real-world';
  it.skipIf(!existsSync(root))('knows every image the real-world corpus uses except the placeholder', () => {
    const images = new Set<string>();
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) { if (f !== '_variants') walk(p); } else if (/\.ya?ml$/.test(f)) {
          for (const m of readFileSync(p, 'utf8').matchAll(/^\s*-?\s*image:\s*["']?([^\s"'#]+)/gm)) images.add(m[1]!);
        }
      }
    };
    walk(root);
    expect(images.size).toBeGreaterThan(30);
    const missing = [...images].filter((i) => i !== '<YOUR-CONTAINER>' && !cat.lookup(i));
    expect(missing).toEqual([]);
  });
  it('a lab image replaces a built-in entry with the same name', () => {
    const c = new Catalog();
    c.register(fromLabImage({ names: ['nginx'], description: 'custom', ports: [{ port: 8080, protocol: 'TCP', app: 'http' }], requiredEnv: [], http: { status: 200, body: 'hi {{pod}} on {{node}} {{env.X}}' } }));
    const spec = c.lookup('nginx:1.25')!;
    expect(spec.listeners(info({ image: 'nginx' }))).toEqual([{ port: 8080, protocol: 'TCP', app: 'http' }]);
    expect(spec.http!(info({ image: 'nginx' }, { X: 'y' }), { method: 'GET', path: '/', host: 'a', port: 8080, headers: {} }, noNet).body).toBe('hi web-7d9c-abcde on kind-worker y');
  });
  it('lab images crash without their required env, with the author\'s message', () => {
    const spec = fromLabImage({ names: ['acme/db'], description: 'db', ports: [], requiredEnv: [{ anyOf: ['A', 'B'], message: 'need A or B' }] });
    expect(spec.crashReason!(info({ image: 'acme/db' }))).toBe('need A or B');
    expect(spec.crashReason!(info({ image: 'acme/db' }, { B: '1' }))).toBeUndefined();
  });
});

describe('built-in behaviours', () => {
  const cat = new Catalog(builtinImages());
  it('mysql exits without a root password option, with the entrypoint line', () => {
    const m = cat.lookup('mysql:8.0')!;
    expect(m.crashReason!(info({ image: 'mysql:8.0' }))).toContain('Database is uninitialized and password option is not specified');
    expect(m.crashReason!(info({ image: 'mysql:5.7' }))).toContain('You need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD');
    expect(m.crashReason!(info({ image: 'mysql:8.0' }, { MYSQL_ROOT_PASSWORD: 'x' }))).toBeUndefined();
    expect(m.listeners(info({ image: 'mysql:5.7' }))).toEqual([{ port: 3306, protocol: 'TCP', app: 'mysql' }]);
  });
  it('wordpress needs a reachable MySQL at WORDPRESS_DB_HOST', () => {
    const w = cat.lookup('wordpress:6.2.1-apache')!;
    const req = { method: 'GET', path: '/', host: 'blog', port: 80, headers: {} };
    const down = w.http!(info({ image: 'wordpress' }, { WORDPRESS_DB_HOST: 'wordpress-mysql' }), req, noNet);
    expect(down.status).toBe(500);
    expect(down.body).toContain('Error establishing a database connection');
    const up = w.http!(info({ image: 'wordpress' }, { WORDPRESS_DB_HOST: 'wordpress-mysql' }), req, mysqlNet);
    expect(up.status).toBe(302);
    expect(up.headers?.location).toBe('http://blog/wp-admin/install.php');
  });
  it('whoami names the pod and honours WHOAMI_PORT_NUMBER', () => {
    const w = cat.lookup('traefik/whoami')!;
    expect(w.listeners(info({ image: 'traefik/whoami' }, { WHOAMI_PORT_NUMBER: '8080' }))[0]!.port).toBe(8080);
    const body = w.http!(info({ image: 'traefik/whoami' }), { method: 'GET', path: '/', host: 'who', port: 80, headers: { 'user-agent': 'curl/8.5.0' } }, noNet).body;
    expect(body.startsWith('Hostname: web-7d9c-abcde\nIP: 127.0.0.1\nIP: ::1\nIP: 10.244.1.7\n')).toBe(true);
    expect(body).toContain('GET / HTTP/1.1\r\nHost: who\r\nUser-Agent: curl/8.5.0\r\n');
  });
  it('http-echo listens on -listen and answers -text', () => {
    const h = cat.lookup('hashicorp/http-echo')!;
    const c = info({ image: 'hashicorp/http-echo', args: ['-listen=:8080', '-text=apple'] });
    expect(h.listeners(c)[0]!.port).toBe(8080);
    expect(h.http!(c, { method: 'GET', path: '/', host: 'x', port: 8080, headers: {} }, noNet).body).toBe('apple\n');
    expect(h.listeners(info({ image: 'hashicorp/http-echo', args: ['-text=x'] }))[0]!.port).toBe(5678);
  });
  it('nginx serves files written to its document root, else the welcome page', () => {
    const n = cat.lookup('nginx')!;
    const files = new Map<string, string>([['/usr/share/nginx/html/index.html', 'from the volume\n']]);
    const c = { ...info({ image: 'nginx' }), files: { read: (p: string) => files.get(p), write: () => {}, list: () => [] } };
    expect(n.http!(c, { method: 'GET', path: '/', host: 'x', port: 80, headers: {} }, noNet).body).toBe('from the volume\n');
    const plain = n.http!(info({ image: 'nginx' }), { method: 'GET', path: '/', host: 'x', port: 80, headers: {} }, noNet);
    expect(plain.body).toContain('<h1>Welcome to nginx!</h1>');
    expect(n.http!(info({ image: 'nginx:1.25' }), { method: 'GET', path: '/nope', host: 'x', port: 80, headers: {} }, noNet).status).toBe(404);
  });
  it('a server image whose command is overridden runs that command instead', () => {
    const n = cat.lookup('nginx')!;
    const c = info({ image: 'nginx', command: ['sh', '-c', 'sleep 3600'] });
    expect(n.listeners(c)).toEqual([]);
    expect(n.completes!(c)).toBe(false);
    expect(n.listeners(info({ image: 'nginx', command: ['nginx', '-g', 'daemon off;'] }))[0]!.port).toBe(80);
  });
  it('an overriding script that merely mentions the daemon does not start it (replicated MySQL init container)', () => {
    const m = cat.lookup('mysql:5.7')!;
    const init = info({ image: 'mysql:5.7', command: ['bash', '-c', 'set -ex\n[[ `hostname` =~ -([0-9]+)$ ]] || exit 1\necho [mysqld] > /mnt/conf.d/server-id.cnf\n'] });
    expect(m.crashReason!(init)).toBeUndefined();
    expect(m.completes!(init)).toBe(true);
    expect(m.crashReason!(info({ image: 'mysql:5.7', command: ['bash', '-c', 'exec mysqld --user=mysql'] }))).toContain('MYSQL_ROOT_PASSWORD');
  });
  it('tool images: argv decides whether they run, finish or fail', () => {
    const b = cat.lookup('busybox:1.28')!;
    expect(b.completes!(info({ image: 'busybox' }))).toBe(true);
    expect(b.completes!(info({ image: 'busybox', command: ['sleep', '3600'] }))).toBe(false);
    expect(b.completes!(info({ image: 'busybox', command: ['sh', '-c', 'echo hi'] }))).toBe(true);
    expect(b.crashReason!(info({ image: 'busybox', command: ['sh', '-c', 'echo no; exit 3'] }))).toBe('exit status 3');
    expect(cat.lookup('curlimages/curl')!.crashReason!(info({ image: 'curlimages/curl' }))).toContain("curl: try 'curl --help'");
  });
});

describe('shell analysis', () => {
  it('finds listeners, redirections and long-running commands', () => {
    const f = analyseScript('echo "hello" > /data/index.html; exec ncat --listen --keep-open --send-only --max-conns=1 3307 -c "xtrabackup"');
    expect(f.listeners).toEqual([{ port: 3307, protocol: 'TCP', app: 'tcp' }]);
    expect(f.writes).toEqual([{ path: '/data/index.html', data: 'hello\n', append: false }]);
    expect(f.runs).toBe(true);
    expect(analyseScript('python3 -m http.server 9000').listeners[0]!.port).toBe(9000);
    expect(analyseScript('while true; do date >> /tmp/x; sleep 5; done').runs).toBe(true);
    expect(analyseScript('sleep 5').runs).toBe(false);
    // Guards are not exits: the replicated MySQL init script must complete.
    expect(analyseScript('set -ex\n[[ $HOSTNAME =~ -([0-9]+)$ ]] || exit 1\nordinal=${BASH_REMATCH[1]}').fails).toBeUndefined();
    expect(analyseScript('echo bye; exit 2').fails).toBe('exit status 2');
  });
});
