/**
 * Redis as a data store: every redis process keeps its keys in its data directory (the
 * official image's WORKDIR /data, bitnami's /bitnami/redis/data, or `--dir`), so they live
 * as long as that directory does — a PVC or emptyDir keeps them across container restarts,
 * the container's own layer loses them (the kubelet starts a new container). A replica
 * (`--replicaof HOST PORT`, `--slaveof`, the guestbook follower images' run.sh, bitnami's
 * REDIS_REPLICATION_MODE=slave) resolves HOST from its own pod and copies the leader's
 * whole data set when it syncs; with the link down it serves what it last copied
 * (replica-serve-stale-data yes) and it refuses writes (replica-read-only yes).
 * Sources: redis.conf defaults (dir, replica-read-only, replica-serve-stale-data),
 * GoogleCloudPlatform/kubernetes-engine-samples guestbook redis-follower/run.sh,
 * kubernetes/examples guestbook/redis-slave/run.sh.
 */
import type { ContainerRuntimeInfo, ProcessNetwork } from '../types.ts';
import { argv, flag } from './factories.ts';

const DB_FILE = 'dump.rdb';
/** Chained replication deeper than this is treated as a broken link (it also stops replication loops). */
const MAX_CHAIN = 4;

export function isRedisImage(c: ContainerRuntimeInfo): boolean {
  return /(^|\/)(redis|valkey|gb-redis[a-z-]*|redis-slave|redis-stack-server)(:|@|$)/.test(c.container.image);
}

export function redisDataDir(c: ContainerRuntimeInfo): string {
  const dir = flag(argv(c), 'dir');
  if (dir) return dir.replace(/\/+$/, '') || '/';
  return c.container.image.includes('bitnami/') ? '/bitnami/redis/data' : '/data';
}

function load(c: ContainerRuntimeInfo): Record<string, string> {
  const raw = c.files?.read(`${redisDataDir(c)}/${DB_FILE}`);
  if (raw === undefined) return {};
  try {
    return JSON.parse(raw) as Record<string, string>;
  } catch {
    return {};
  }
}

function save(c: ContainerRuntimeInfo, data: Record<string, string>): void {
  c.files?.write(`${redisDataDir(c)}/${DB_FILE}`, JSON.stringify(data));
}

/** The leader this redis replicates from, as its configuration names it (not yet resolved). */
export function redisUpstream(c: ContainerRuntimeInfo): { host: string; port: number } | undefined {
  const a = argv(c);
  for (let i = 0; i < a.length; i++) {
    const m = /^--?(replicaof|slaveof)(?:=(.*))?$/.exec(a[i]!);
    if (!m) continue;
    // `--replicaof host port`, `--replicaof "host port"` or `--replicaof=host port`.
    const parts = (m[2] !== undefined ? [m[2], a[i + 1] ?? ''] : [a[i + 1] ?? '', a[i + 2] ?? '']).join(' ').trim().split(/\s+/);
    if (parts[0] && parts[0].toLowerCase() !== 'no') return { host: parts[0], port: Number(parts[1]) || 6379 };
  }
  const e = c.env;
  if (e.REDIS_REPLICATION_MODE === 'slave' || e.REDIS_REPLICATION_MODE === 'replica') {
    return e.REDIS_MASTER_HOST ? { host: e.REDIS_MASTER_HOST, port: Number(e.REDIS_MASTER_PORT_NUMBER) || 6379 } : undefined;
  }
  // The guestbook images' run.sh when the pod does not override the command.
  if (c.command?.length) return undefined;
  const img = c.container.image;
  const fromEnv = (e.GET_HOSTS_FROM ?? 'dns') === 'env';
  if (/gb-redis-follower/.test(img)) return { host: fromEnv ? (e.REDIS_LEADER_SERVICE_HOST ?? '') : 'redis-leader', port: 6379 };
  if (/gb-redisslave|\/redis-slave(:|@|$)/.test(img)) return { host: fromEnv ? (e.REDIS_MASTER_SERVICE_HOST ?? '') : 'redis-master', port: 6379 };
  return undefined;
}

export type Dial =
  | { ok: true; pod?: string; namespace?: string; app?: string }
  | { ok: false; error: string };

/** Connect as a client library would: resolve through the pod's resolver, then TCP. */
export function dial(net: ProcessNetwork, host: string, port: number): Dial {
  if (!host) return { ok: false, error: 'php_network_getaddresses: getaddrinfo failed: Name or service not known' };
  const ip = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : net.resolve(host);
  if (!ip) return { ok: false, error: 'php_network_getaddresses: getaddrinfo failed: Name or service not known' };
  const r = net.connect(ip, port);
  if (!r.ok) return { ok: false, error: /timed out/i.test(r.error) ? 'Connection timed out' : 'Connection refused' };
  return r;
}

/** The server process behind a connection, when it is a redis the simulator runs. */
function serverBehind(c: ContainerRuntimeInfo, d: Dial, port: number) {
  if (!d.ok || !d.pod || (d.app && d.app !== 'redis')) return undefined;
  const peer = c.peer?.({ pod: d.pod, namespace: d.namespace }, port);
  return peer && isRedisImage(peer.info) ? peer : undefined;
}

/**
 * The keys a redis serves now. A replica first syncs from its leader when the link is up
 * (the simulator copies at read time; real replication lags by milliseconds).
 */
export function redisData(c: ContainerRuntimeInfo, net: ProcessNetwork, depth = 0): Record<string, string> {
  const up = redisUpstream(c);
  if (up && depth < MAX_CHAIN) {
    const leader = serverBehind(c, dial(net, up.host, up.port), up.port);
    if (leader) {
      const data = redisData(leader.info, leader.net, depth + 1);
      save(c, data);
      return data;
    }
  }
  return load(c);
}

/** A client library's error: the exception class (Predis names) and its message. */
export type RedisReply = { ok: true; value: string | null } | { ok: false; exception: 'ConnectionException' | 'ServerException'; error: string };

/** One command from a client in the pod `client` to host:port. */
export function redisCall(client: ContainerRuntimeInfo, net: ProcessNetwork, host: string, port: number, cmd: { op: 'get'; key: string } | { op: 'set'; key: string; value: string }): RedisReply {
  const d = dial(net, host, port);
  if (!d.ok) return { ok: false, exception: 'ConnectionException', error: `${d.error} [tcp://${host}:${port}]` };
  if (d.app && d.app !== 'redis') return { ok: false, exception: 'ConnectionException', error: `Error while reading line from the server. [tcp://${host}:${port}]` };
  const server = serverBehind(client, d, port);
  // Something answered that the simulator does not run as redis: it accepted the connection, nothing more.
  if (!server) return cmd.op === 'get' ? { ok: true, value: null } : { ok: true, value: 'OK' };
  if (cmd.op === 'get') return { ok: true, value: redisData(server.info, server.net)[cmd.key] ?? null };
  if (redisUpstream(server.info)) return { ok: false, exception: 'ServerException', error: "READONLY You can't write against a read only replica." };
  const data = redisData(server.info, server.net);
  save(server.info, { ...data, [cmd.key]: cmd.value });
  return { ok: true, value: 'OK' };
}
