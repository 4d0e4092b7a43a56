/**
 * Databases, caches and the applications that need them. Crash messages are the images'
 * entrypoint lines (docker-library mysql/mariadb/postgres docker-entrypoint.sh); wordpress
 * answers only when its database host resolves and a MySQL answers there.
 */
import type { ContainerRuntimeInfo, ImageSpec } from '../types.ts';
import type { HttpReply, HttpRequestInfo, ProcessNetwork } from '../types.ts';
import { argv, flag, hostPort, html, json, reaches, serverImage, tcp, text, toolImage, versionFromTag } from './factories.ts';
import { redisCall } from './redis.ts';

/** A data directory that already holds a database skips the password check (docker-entrypoint.sh). */
function initialised(c: ContainerRuntimeInfo, dir: string): boolean {
  return c.files?.read(`${dir}/.kubelab-initialised`) !== undefined;
}
function markInitialised(c: ContainerRuntimeInfo, dir: string): void {
  c.files?.write(`${dir}/.kubelab-initialised`, '1');
}

function mysqlCrash(c: ContainerRuntimeInfo): string | undefined {
  const e = c.env;
  if (initialised(c, '/var/lib/mysql')) return undefined;
  if (e.MYSQL_ROOT_PASSWORD || e.MYSQL_ALLOW_EMPTY_PASSWORD || e.MYSQL_RANDOM_ROOT_PASSWORD || e.MYSQL_ROOT_PASSWORD_FILE) return undefined;
  const v = versionFromTag(c, '8.4');
  if (/^5\./.test(v)) {
    return 'error: database is uninitialized and password option is not specified \n  You need to specify one of MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD and MYSQL_RANDOM_ROOT_PASSWORD';
  }
  return '2024-01-01 00:00:00+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD';
}

function mariadbCrash(c: ContainerRuntimeInfo): string | undefined {
  const e = c.env;
  if (initialised(c, '/var/lib/mysql')) return undefined;
  const ok = ['MARIADB_ROOT_PASSWORD', 'MARIADB_ROOT_PASSWORD_HASH', 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MARIADB_RANDOM_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'];
  if (ok.some((k) => e[k])) return undefined;
  return '2024-01-01 00:00:00+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD';
}

function postgresCrash(c: ContainerRuntimeInfo): string | undefined {
  const e = c.env;
  if (initialised(c, e.PGDATA ?? '/var/lib/postgresql/data')) return undefined;
  if (e.POSTGRES_PASSWORD || e.POSTGRES_HOST_AUTH_METHOD === 'trust' || e.POSTGRES_PASSWORD_FILE) return undefined;
  return 'Error: Database is uninitialized and superuser password is not specified.\n       You must specify POSTGRES_PASSWORD to a non-empty value for the\n       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".\n\n       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all\n       connections without a password. This is *not* recommended.\n\n       See PostgreSQL documentation about "trust":\n       https://www.postgresql.org/docs/current/auth-trust.html';
}

/**
 * guestbook.php of the gb-frontend images. v5 and later (kubernetes-engine-samples, the
 * kubernetes.io tutorial) write to redis-leader and read from redis-follower; v4 and older
 * (kubernetes/examples) write to redis-master and read from redis-slave. GET_HOSTS_FROM=env
 * takes the hosts from the Service env vars instead. `cmd=set` answers {"message": "Updated"},
 * any other cmd {"data": "<value>"}; Predis exceptions are PHP fatal errors shown in the page
 * (display_errors is on).
 */
function guestbookPhp(c: ContainerRuntimeInfo, req: HttpRequestInfo, net: ProcessNetwork): HttpReply {
  const [path, query = ''] = req.path.split('?');
  if (path !== '/guestbook.php') return html(200, '<html ng-app="redis">\n  <head>\n    <title>Guestbook</title>\n  </head>\n  <body ng-controller="RedisCtrl">\n    <h2>Guestbook</h2>\n  </body>\n</html>\n');
  const q = new URLSearchParams(query);
  const cmd = q.get('cmd');
  if (cmd === null) return html(200, '<!DOCTYPE html>\n<html><head><title>PHP 5.6.40 - phpinfo()</title></head><body><h1>PHP Version 5.6.40</h1></body></html>\n');
  const modern = /^([5-9]|\d\d)/.test(versionFromTag(c, '5')) || c.container.image.includes('us-docker.pkg.dev');
  const [leader, follower] = modern ? ['redis-leader', 'redis-follower'] : ['redis-master', 'redis-slave'];
  const fromEnv = c.env.GET_HOSTS_FROM === 'env';
  const hostOf = (svc: string) => (fromEnv ? (c.env[`${svc.toUpperCase().replace('-', '_')}_SERVICE_HOST`] ?? '') : svc);
  const key = q.get('key') ?? '';
  const reply = cmd === 'set'
    ? redisCall(c, net, hostOf(leader), 6379, { op: 'set', key, value: q.get('value') ?? '' })
    : redisCall(c, net, hostOf(follower), 6379, { op: 'get', key });
  if (!reply.ok) {
    const cls = reply.exception === 'ServerException' ? 'Predis\\Response\\ServerException' : 'Predis\\Connection\\ConnectionException';
    return html(500, `<br />\n<b>Fatal error</b>:  Uncaught exception '${cls}' with message '${reply.error}' in /var/www/html/Predis/Connection/AbstractConnection.php:155\n`);
  }
  // PHP prints the value into the JSON text as it is (no escaping), and null as an empty string.
  const body = cmd === 'set' ? '{"message": "Updated"}' : `{"data": "${reply.value ?? ''}"}`;
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

/**
 * Whether a MongoDB answers at host:port for this process. localhost is the pod's own network
 * namespace, shared by all its containers (a hostNetwork pod's is the node's, where the
 * simulator runs no database), so an exporter sidecar reaches the mongod beside it.
 */
function mongoAnswers(c: ContainerRuntimeInfo, net: ProcessNetwork, host: string, port: number): boolean {
  if (host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]') {
    if (c.pod.spec.hostNetwork) return false;
    const self = c.peer?.({ pod: c.pod.metadata.name, namespace: c.pod.metadata.namespace }, port);
    return !!self && self.image.listeners(self.info).some((l) => l.port === port && l.app === 'mongodb');
  }
  return reaches(net, host, port, 'mongodb');
}

const WP_DB_ERROR = '<!DOCTYPE html>\n<html dir=\'ltr\'>\n<head>\n\t<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n\t<title>Database Error</title>\n</head>\n<body id="error-page">\n\t<div class="wp-die-message"><h1>Error establishing a database connection</h1></div></body>\n</html>\n';

export const dataImages: ImageSpec[] = [
  serverImage({
    names: ['mysql', 'mysql/mysql-server', 'bitnami/mysql'],
    description: 'MySQL on 3306 (33060 X protocol from 8.0); needs MYSQL_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD or MYSQL_RANDOM_ROOT_PASSWORD on first start',
    daemons: ['mysqld', 'docker-entrypoint'],
    listeners: (c) => (/^5\./.test(versionFromTag(c, '8.4')) ? [tcp(3306, 'mysql')] : [tcp(3306, 'mysql'), tcp(33060, 'mysql')]),
    crashReason: mysqlCrash,
    onStart: (c) => markInitialised(c, '/var/lib/mysql'),
  }),
  serverImage({
    names: ['mariadb', 'bitnami/mariadb'],
    description: 'MariaDB on 3306; needs MARIADB_ROOT_PASSWORD (or the MYSQL_* equivalents) on first start',
    daemons: ['mariadbd', 'mysqld', 'docker-entrypoint'],
    listeners: () => [tcp(3306, 'mysql')],
    crashReason: mariadbCrash,
    onStart: (c) => markInitialised(c, '/var/lib/mysql'),
  }),
  serverImage({
    names: ['postgres', 'bitnami/postgresql'],
    description: 'PostgreSQL on 5432; needs POSTGRES_PASSWORD on first start',
    daemons: ['postgres', 'docker-entrypoint'],
    listeners: () => [tcp(5432, 'tcp')],
    crashReason: postgresCrash,
    onStart: (c) => markInitialised(c, c.env.PGDATA ?? '/var/lib/postgresql/data'),
  }),
  serverImage({
    names: ['mongo', 'bitnami/mongodb', 'mongodb/mongodb-community-server'],
    description: 'MongoDB on 27017',
    daemons: ['mongod', 'docker-entrypoint'],
    listeners: () => [tcp(27017, 'mongodb')],
  }),
  serverImage({
    names: ['redis', 'bitnami/redis', 'registry.k8s.io/redis', 'k8s.gcr.io/redis', 'registry.k8s.io/redis-slave', 'gcr.io/google_samples/gb-redisslave', 'gcr.io/google-samples/gb-redisslave', 'gcr.io/google_samples/gb-redis-follower', 'us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower', 'us-docker.pkg.dev/google-samples/containers/gke/gb-redis-leader', 'gcr.io/google-samples/gb-redis-follower', 'redis/redis-stack-server', 'valkey/valkey'],
    description: 'Redis on 6379 (guestbook leader and follower images included)',
    daemons: ['redis-server', 'run.sh', 'docker-entrypoint'],
    listeners: () => [tcp(6379, 'redis')],
  }),
  serverImage({
    names: ['memcached'],
    description: 'memcached on 11211',
    daemons: ['memcached'],
    listeners: () => [tcp(11211, 'tcp')],
  }),
  serverImage({
    names: ['percona/mongodb_exporter', 'bitnami/mongodb-exporter'],
    description: 'MongoDB Prometheus exporter: /metrics on 9216; mongodb_up reports whether MONGODB_URI answers',
    daemons: ['mongodb_exporter'],
    listeners: (c) => [tcp(Number((flag(argv(c), 'web.listen-address') ?? ':9216').split(':').pop()) || 9216)],
    http: (c, req, net) => {
      if (req.path.split('?')[0] !== '/metrics') return text(200, '<html><head><title>MongoDB exporter</title></head><body><a href="/metrics">Metrics</a></body></html>');
      const uri = flag(argv(c), 'mongodb.uri') ?? c.env.MONGODB_URI ?? 'mongodb://localhost:27017';
      const { host, port } = hostPort(uri.split(',')[0]!, 27017);
      const up = mongoAnswers(c, net, host, port) ? 1 : 0;
      return text(200, `# HELP mongodb_up Whether MongoDB is up.\n# TYPE mongodb_up gauge\nmongodb_up ${up}\n`, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    },
  }),
  serverImage({
    names: ['wordpress', 'bitnami/wordpress'],
    description: 'WordPress (apache) on 80: the installer when WORDPRESS_DB_HOST (default mysql) resolves and MySQL answers there, else "Error establishing a database connection"',
    daemons: ['apache2', 'docker-entrypoint'],
    listeners: () => [tcp(80)],
    http: (c, req, net) => {
      const { host, port } = hostPort(c.env.WORDPRESS_DB_HOST ?? 'mysql', 3306);
      const hdr = { server: 'Apache/2.4.57 (Debian)', 'x-powered-by': 'PHP/8.2.10' };
      if (!reaches(net, host, port, 'mysql')) return html(500, WP_DB_ERROR, hdr);
      const path = req.path.split('?')[0];
      // A fresh WordPress sends every page to the installer (wp_not_installed → wp_redirect).
      if (path === '/wp-admin/install.php') return html(200, '<!DOCTYPE html>\n<html>\n<head><title>WordPress &rsaquo; Installation</title></head>\n<body class="wp-core-ui language-chooser"><p id="logo">WordPress</p></body>\n</html>\n', hdr);
      return { status: 302, headers: { ...hdr, location: `http://${req.host}${req.port && req.port !== 80 ? `:${req.port}` : ''}/wp-admin/install.php` }, body: '' };
    },
  }),
  serverImage({
    names: ['gcr.io/google-samples/gb-frontend', 'gcr.io/google_samples/gb-frontend', 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend', 'paulczar/gb-frontend', 'corelab/gb-frontend'],
    description: 'PHP guestbook frontend on 80; guestbook.php writes to redis-leader and reads from redis-follower (v5+), or redis-master and redis-slave (v4 and older)',
    daemons: ['apache2'],
    listeners: () => [tcp(80)],
    http: guestbookPhp,
  }),
  serverImage({
    names: ['registry.k8s.io/guestbook', 'k8s.gcr.io/guestbook', 'gcr.io/google_containers/guestbook'],
    description: 'Go guestbook on 3000: /lrange/guestbook and /rpush read and write redis-master and redis-replica (redis-slave)',
    listeners: () => [tcp(3000)],
    http: (_c, req, net) => {
      const path = req.path.split('?')[0]!;
      if (path.startsWith('/lrange/') || path.startsWith('/rpush/')) {
        const up = reaches(net, 'redis-master', 6379, 'redis') || reaches(net, 'redis-replica', 6379, 'redis') || reaches(net, 'redis-slave', 6379, 'redis');
        return up ? json(200, []) : text(500, 'dial tcp: lookup redis-master: no such host\n');
      }
      if (path === '/healthz') return text(200, 'ok');
      return html(200, '<!DOCTYPE html>\n<html lang="en">\n  <head><title>Guestbook</title></head>\n  <body><div id="header"><h1>Guestbook</h1></div></body>\n</html>\n');
    },
  }),
  serverImage({
    names: ['minio/minio', 'quay.io/minio/minio', 'bitnami/minio'],
    description: 'MinIO object storage: S3 API on 9000 (`server <dirs>`), console on --console-address',
    daemons: ['minio'],
    listeners: (c) => {
      if (c.args[0] !== 'server' && !c.container.image.includes('bitnami')) return [];
      const ls: ReturnType<typeof tcp>[] = [tcp(Number((flag(c.args, 'address') ?? ':9000').split(':').pop()) || 9000)];
      const console = flag(c.args, 'console-address');
      if (console) ls.push(tcp(Number(console.split(':').pop())));
      return ls;
    },
    crashReason: (c) => (c.args[0] === 'server' || c.container.image.includes('bitnami') ? undefined : 'NAME:\n  minio - High Performance Object Storage\n\nUSAGE:\n  minio [FLAGS] COMMAND [ARGS...]'),
    http: (_c, req) => {
      const path = req.path.split('?')[0];
      if (path === '/minio/health/live' || path === '/minio/health/ready') return text(200, '');
      return { status: 403, headers: { 'content-type': 'application/xml', server: 'MinIO' }, body: '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied.</Message></Error>' };
    },
  }),
  serverImage({
    names: ['gcr.io/google-samples/cassandra', 'cassandra'],
    description: 'Cassandra: 7000 intra-node, 7001 TLS, 7199 JMX, 9042 CQL',
    daemons: ['cassandra', 'run.sh'],
    listeners: () => [tcp(7000, 'tcp'), tcp(7001, 'tcp'), tcp(7199, 'tcp'), tcp(9042, 'tcp')],
  }),
  serverImage({
    names: ['registry.k8s.io/kubernetes-zookeeper', 'k8s.gcr.io/kubernetes-zookeeper', 'gcr.io/google_containers/kubernetes-zookeeper', 'zookeeper'],
    description: 'ZooKeeper: client 2181, server 2888, leader election 3888 (start-zookeeper)',
    daemons: ['start-zookeeper', 'zkServer'],
    listeners: () => [tcp(2181, 'tcp'), tcp(2888, 'tcp'), tcp(3888, 'tcp')],
  }),
  toolImage({
    names: ['gcr.io/google-samples/xtrabackup'],
    description: 'Percona XtraBackup tools for the replicated MySQL tutorial (a shell: its command decides; ncat --listen serves backups)',
    byDefault: { completes: true },
  }),
];
