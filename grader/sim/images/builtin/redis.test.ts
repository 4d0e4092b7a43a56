/**
 * Redis data and the guestbook through the whole simulated cluster: the frontend writes to the
 * leader and reads from the followers by name, the followers copy the leader's data by
 * resolving the leader from their own pods, and the data lives in the data directory.
 */
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { SimCluster } from '../../cluster.ts';
import type { KubeObject } from '../../api/types.ts';

function cluster(yaml: string) {
  const c = new SimCluster({ seed: 5, workers: 2 });
  const objects = YAML.parseAllDocuments(yaml).map((d) => d.toJSON() as KubeObject | null).filter((o): o is KubeObject => !!o);
  const r = c.apply(objects.map((object) => ({ object, file: 't.yaml', line: 1 })));
  expect(r.failed).toEqual([]);
  expect(c.waitForRollout(300).complete).toBe(true);
  return c;
}

function tier(name: string, labels: Record<string, string>, image: string, replicas: number, port: number, selector = labels, extra = ''): string {
  const l = JSON.stringify(labels);
  return `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: ${l}}
  template:
    metadata: {labels: ${l}}
    spec:
      containers:
      - {name: c, image: "${image}", ports: [{containerPort: ${port}}]${extra}}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec: {selector: ${JSON.stringify(selector)}, ports: [{port: ${port === 6379 ? 6379 : 80}, targetPort: ${port}}]}
---
`;
}

const LEADER = { app: 'redis', role: 'leader' };
const FOLLOWER = { app: 'redis', role: 'follower' };
const FRONTEND = { app: 'guestbook' };
const from = { kind: 'pod' as const, namespace: 'default' };

function guestbook(opts: { followerSelector?: Record<string, string>; leaderName?: string; frontend?: string; follower?: string } = {}): SimCluster {
  return cluster(
    tier(opts.leaderName ?? 'redis-leader', LEADER, 'docker.io/redis:6.0.5', 1, 6379)
    + tier('redis-follower', FOLLOWER, opts.follower ?? 'us-docker.pkg.dev/google-samples/containers/gke/gb-redis-follower:v2', 2, 6379, opts.followerSelector ?? FOLLOWER)
    + tier('frontend', FRONTEND, opts.frontend ?? 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5', 2, 80),
  );
}

const get = (c: SimCluster, url: string) => {
  const r = c.net.http({ from, url });
  if (!r.ok) throw new Error(r.error);
  return r;
};

describe('guestbook on redis', () => {
  it('a value set through the frontend (leader) is read back through the followers', () => {
    const c = guestbook();
    const empty = get(c, 'http://frontend/guestbook.php?cmd=get&key=messages');
    expect(empty.body).toBe('{"data": ""}');
    const set = get(c, 'http://frontend/guestbook.php?cmd=set&key=messages&value=,hello');
    expect(set.status).toBe(200);
    expect(set.body).toBe('{"message": "Updated"}');
    for (let i = 0; i < 10; i++) expect(get(c, 'http://frontend/guestbook.php?cmd=get&key=messages').body).toBe('{"data": ",hello"}');
    expect(get(c, 'http://frontend/guestbook.php?cmd=get&key=other').body).toBe('{"data": ""}');
  });

  it('a follower Service that also selects the leader still reads the leader data', () => {
    const c = guestbook({ followerSelector: { app: 'redis' } });
    get(c, 'http://frontend/guestbook.php?cmd=set&key=messages&value=,hi');
    for (let i = 0; i < 20; i++) expect(get(c, 'http://frontend/guestbook.php?cmd=get&key=messages').body).toBe('{"data": ",hi"}');
  });

  it('followers replicate from the name their run.sh dials: with the leader Service misnamed they stay empty and writes fail', () => {
    const c = guestbook({ leaderName: 'redis-master' });
    const set = get(c, 'http://frontend/guestbook.php?cmd=set&key=messages&value=,x');
    expect(set.status).toBe(500);
    expect(set.body).toContain("Uncaught exception 'Predis\\Connection\\ConnectionException' with message 'php_network_getaddresses: getaddrinfo failed: Name or service not known [tcp://redis-leader:6379]'");
    expect(get(c, 'http://frontend/guestbook.php?cmd=get&key=messages').body).toBe('{"data": ""}');
  });

  it('the v4 frontend and gb-redisslave use redis-master and redis-slave', () => {
    const c = cluster(
      tier('redis-master', LEADER, 'registry.k8s.io/redis:e2e', 1, 6379)
      + tier('redis-slave', FOLLOWER, 'gcr.io/google_samples/gb-redisslave:v1', 2, 6379)
      + tier('frontend', FRONTEND, 'gcr.io/google-samples/gb-frontend:v4', 1, 80),
    );
    get(c, 'http://frontend/guestbook.php?cmd=set&key=messages&value=,old');
    expect(get(c, 'http://frontend/guestbook.php?cmd=get&key=messages').body).toBe('{"data": ",old"}');
  });

  it('a replica refuses writes; a plain redis with --replicaof HOST PORT replicates', () => {
    const c = cluster(
      tier('redis-leader', LEADER, 'redis:7', 1, 6379)
      // The "leader" Service selects the replica by mistake: writes reach a read-only replica.
      + tier('redis-follower', FOLLOWER, 'redis:7', 1, 6379, FOLLOWER, ', command: [redis-server, --replicaof, redis-leader, "6379"]')
      + tier('frontend', FRONTEND, 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5', 1, 80, FRONTEND, ', env: [{name: GET_HOSTS_FROM, value: env}]'),
    );
    // GET_HOSTS_FROM=env: the hosts come from REDIS_LEADER_SERVICE_HOST / REDIS_FOLLOWER_SERVICE_HOST,
    // which the kubelet sets because the Services existed before the frontend pods started.
    const set = get(c, 'http://frontend/guestbook.php?cmd=set&key=k&value=v');
    expect(set.body).toBe('{"message": "Updated"}');
    expect(get(c, 'http://frontend/guestbook.php?cmd=get&key=k').body).toBe('{"data": "v"}');
    // Point the leader Service at the replica: writes now reach a read-only replica.
    c.apply([{ object: YAML.parse(`{apiVersion: v1, kind: Service, metadata: {name: redis-leader}, spec: {selector: ${JSON.stringify(FOLLOWER)}, ports: [{port: 6379}]}}`) as KubeObject, file: 't', line: 1 }]);
    c.advance(5);
    const ro = get(c, 'http://frontend/guestbook.php?cmd=set&key=k&value=w');
    expect(ro.body).toContain("Uncaught exception 'Predis\\Response\\ServerException' with message 'READONLY You can't write against a read only replica.'");
  });

  it('data lives in /data: a PVC keeps it across a restart of the pod, the container layer does not', () => {
    const c = cluster(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
` + tier('redis-leader', LEADER, 'redis:7', 1, 6379, LEADER, ', volumeMounts: [{name: d, mountPath: /data}]').replace('      containers:', '      volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n      containers:')
      + tier('redis-follower', FOLLOWER, 'redis:7', 1, 6379)
      + tier('frontend', FRONTEND, 'us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5', 1, 80));
    // The follower here is a plain redis (no replication): reads go to the leader through a shared Service.
    c.apply([{ object: YAML.parse('{apiVersion: v1, kind: Service, metadata: {name: redis-follower}, spec: {selector: {app: redis}, ports: [{port: 6379}]}}') as KubeObject, file: 't', line: 1 }]);
    c.settle();
    get(c, 'http://frontend/guestbook.php?cmd=set&key=k&value=kept');
    const leader = c.ctx.store.list('Pod', 'default').find((p) => p.metadata.labels?.role === 'leader')!;
    c.act({ type: 'deletePod', namespace: 'default', name: leader.metadata.name });
    expect(c.waitForRollout(120).complete).toBe(true);
    c.advance(30);
    const leaderNow = c.ctx.store.list('Pod', 'default').find((p) => p.metadata.labels?.role === 'leader')!;
    expect(leaderNow.metadata.name).not.toBe(leader.metadata.name);
    // Ask the leader directly through a Service selecting only it.
    c.apply([{ object: YAML.parse('{apiVersion: v1, kind: Service, metadata: {name: redis-follower}, spec: {selector: {app: redis, role: leader}, ports: [{port: 6379}]}}') as KubeObject, file: 't', line: 1 }]);
    c.advance(5);
    expect(get(c, 'http://frontend/guestbook.php?cmd=get&key=k').body).toBe('{"data": "kept"}');
  });
});
