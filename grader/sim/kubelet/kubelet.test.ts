import { envEntries } from './env.ts';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ObjectStore } from '../api/store.ts';
import { podStatusWord, workloadCluster } from '../nodes/test-harness.ts';
import type { KubeObject, Pod } from '../api/types.ts';
import { setCondition } from './conditions.ts';
import { listenersOf, logsOf, runningContainers } from './api.ts';
import { goDuration } from './kubelet.ts';
import { expand } from './env.ts';

function podYaml(name: string, containers: string, extra = ''): string {
  return `
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
${extra}
  containers:
${containers}
`;
}

const getPod = (c: ReturnType<typeof workloadCluster>, name: string) => c.get('Pod', 'default', name) as Pod;
const waiting = (p: Pod) => p.status?.containerStatuses?.[0]?.state.waiting;

describe('kubelet: starting pods', () => {
  it('runs a pod one second after binding, with an IP from the node podCIDR and the four conditions', () => {
    const c = workloadCluster();
    c.apply(podYaml('web', '  - {name: web, image: nginx}'));
    let p = getPod(c, 'web');
    expect(podStatusWord(p)).toBe('ContainerCreating');
    c.advance(1);
    p = getPod(c, 'web');
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.podIP).toBe('10.244.1.2');
    expect(p.status?.hostIP).toBe('172.18.0.3');
    expect(p.status?.conditions?.map((x) => `${x.type}=${x.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    expect(listenersOf(c.ctx, p)).toEqual([{ port: 80, protocol: 'TCP', app: 'http', container: 'web' }]);
  });

  it('gives a new pod a new IP and never one still held', () => {
    const c = workloadCluster({ workers: 1 });
    c.apply(podYaml('a', '  - {name: c, image: nginx}') + '---' + podYaml('b', '  - {name: c, image: nginx}'));
    c.advance(2);
    const ipA = getPod(c, 'a').status?.podIP;
    const ipB = getPod(c, 'b').status?.podIP;
    expect(ipA).not.toBe(ipB);
    c.ops.act({ type: 'deletePod', namespace: 'default', name: 'a' });
    c.advance(2);
    c.apply(podYaml('a', '  - {name: c, image: nginx}'));
    c.advance(2);
    const again = getPod(c, 'a').status?.podIP;
    expect([ipA, ipB]).not.toContain(again);
  });

  it('resolves env from values, ConfigMaps, Secrets, envFrom and the downward API', () => {
    const c = workloadCluster();
    c.apply(`
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {MODE: prod, LEVEL: "3"}
---
apiVersion: v1
kind: Secret
metadata: {name: s}
stringData: {password: hunter2}
---
apiVersion: v1
kind: Pod
metadata: {name: e}
spec:
  containers:
  - name: c
    image: ealen/echo-server
    envFrom: [{configMapRef: {name: cfg}, prefix: CFG_}]
    env:
    - {name: A, value: one}
    - {name: B, value: "$(A)-two"}
    - {name: PW, valueFrom: {secretKeyRef: {name: s, key: password}}}
    - {name: IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
`);
    c.advance(1);
    const p = getPod(c, 'e');
    expect(p.status?.phase).toBe('Running');
    const env = runningContainers(c.ctx, p)[0]!.info.env;
    expect(env).toMatchObject({ CFG_MODE: 'prod', CFG_LEVEL: '3', A: 'one', B: 'one-two', PW: 'hunter2', IP: p.status!.podIP, NODE: p.spec.nodeName });
  });

  it('reports CreateContainerConfigError with the kubelet message, and starts once the Secret appears', () => {
    const c = workloadCluster();
    const container = '  - {name: mysql, image: "mysql:8.0", env: [{name: MYSQL_ROOT_PASSWORD, valueFrom: {secretKeyRef: {name: mysql-pass, key: password}}}]}';
    c.apply(podYaml('db', container));
    c.advance(2);
    let p = getPod(c, 'db');
    expect(waiting(p)).toEqual({ reason: 'CreateContainerConfigError', message: 'secret "mysql-pass" not found' });
    expect(p.status?.phase).toBe('Pending');
    expect(p.status?.podIP).toBeDefined();
    c.apply('apiVersion: v1\nkind: Secret\nmetadata: {name: mysql-pass}\nstringData: {pw: x}\n');
    p = getPod(c, 'db');
    expect(waiting(p)).toEqual({ reason: 'CreateContainerConfigError', message: "couldn't find key password in Secret default/mysql-pass" });
    c.apply('apiVersion: v1\nkind: Secret\nmetadata: {name: mysql-pass}\nstringData: {password: x}\n');
    p = getPod(c, 'db');
    expect(p.status?.phase).toBe('Running');
    expect(c.events.for('Pod', 'default', 'db').some((e) => e.message === 'Error: secret "mysql-pass" not found')).toBe(true);
  });

  it('keeps a pod in ContainerCreating with FailedMount while a Secret volume is missing', () => {
    const c = workloadCluster();
    c.apply(podYaml('tls', '  - {name: nginx, image: nginx, volumeMounts: [{name: secret-volume, mountPath: /etc/nginx/ssl}]}', '  volumes: [{name: secret-volume, secret: {secretName: nginxsecret}}]'));
    c.advance(30);
    const p = getPod(c, 'tls');
    expect(podStatusWord(p)).toBe('ContainerCreating');
    expect(p.status?.podIP).toBeUndefined();
    const ev = c.events.for('Pod', 'default', 'tls').find((e) => e.reason === 'FailedMount');
    expect(ev?.message).toBe('MountVolume.SetUp failed for volume "secret-volume" : secret "nginxsecret" not found');
  });

  it('cloud disks never attach on kind', () => {
    const c = workloadCluster();
    c.apply(podYaml('gce', '  - {name: m, image: mongo, volumeMounts: [{name: d, mountPath: /data/db}]}', '  volumes: [{name: d, gcePersistentDisk: {pdName: mongo-disk, fsType: ext4}}]'));
    c.advance(60);
    expect(podStatusWord(getPod(c, 'gce'))).toBe('ContainerCreating');
    expect(c.events.for('Pod', 'default', 'gce').some((e) => e.reason === 'FailedAttachVolume' && e.message.includes('pd.csi.storage.gke.io'))).toBe(true);
  });
});

describe('kubelet: failures', () => {
  it('unknown images: ErrImagePull, then ImagePullBackOff, retried on a doubling back-off', () => {
    const c = workloadCluster();
    c.apply(podYaml('x', '  - {name: c, image: "example.com/nope:1.0"}'));
    c.advance(1);
    let p = getPod(c, 'x');
    expect(waiting(p)?.reason).toBe('ErrImagePull');
    expect(waiting(p)?.message).toContain('failed to pull and unpack image "example.com/nope:1.0"');
    expect(waiting(p)?.message).toContain('images:');
    c.advance(2);
    p = getPod(c, 'x');
    expect(waiting(p)).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "example.com/nope:1.0"' });
    expect(p.status?.phase).toBe('Pending');
    const pulls = () => c.events.for('Pod', 'default', 'x').filter((e) => e.reason === 'Pulling').length;
    expect(pulls()).toBe(1);
    c.advance(8); // 10 s after the first pull
    expect(pulls()).toBe(2);
    c.advance(19);
    expect(pulls()).toBe(2);
    c.advance(1); // 20 s after the second
    expect(pulls()).toBe(3);
  });

  it('invalid references: InvalidImageName, never pulled', () => {
    const c = workloadCluster();
    c.apply(podYaml('bad', '  - {name: web, image: "<YOUR-CONTAINER>"}'));
    c.advance(60);
    const p = getPod(c, 'bad');
    expect(waiting(p)).toEqual({ reason: 'InvalidImageName', message: 'Failed to apply default image tag "<YOUR-CONTAINER>": couldn\'t parse image name "<YOUR-CONTAINER>": invalid reference format' });
    expect(c.events.for('Pod', 'default', 'bad').some((e) => e.reason === 'Pulling')).toBe(false);
  });

  it('a crashing process: Error until the next relist, restart at once, then CrashLoopBackOff 10s, 20s, 40s … counted from the exit', () => {
    const c = workloadCluster();
    c.apply(podYaml('db', '  - {name: mysql, image: "mysql:8.0"}'));
    const cs = () => getPod(c, 'db').status!.containerStatuses![0]!;
    const last = () => (cs() as unknown as { lastState: { terminated?: { reason: string; exitCode: number } } }).lastState.terminated;
    c.advance(1); // started and exited at once
    expect(cs().state.terminated).toMatchObject({ reason: 'Error', exitCode: 1 });
    expect(cs().restartCount).toBe(0);
    expect(podStatusWord(getPod(c, 'db'))).toBe('Error');
    c.advance(1); // the relist sees the exit: the first restart is immediate
    expect(cs().restartCount).toBe(1);
    expect(cs().state.terminated?.reason).toBe('Error');
    c.advance(1);
    const p = getPod(c, 'db');
    expect(cs().state.waiting?.reason).toBe('CrashLoopBackOff');
    expect(cs().state.waiting?.message).toBe(`back-off 10s restarting failed container=mysql pod=db_default(${p.metadata.uid})`);
    expect(last()).toMatchObject({ reason: 'Error', exitCode: 1 });
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('False');
    c.advance(8);
    expect(cs().restartCount).toBe(1);
    c.advance(1); // 10 s after the second exit
    expect(cs().restartCount).toBe(2);
    c.advance(1);
    expect(cs().state.waiting?.message).toContain('back-off 20s');
    c.advance(19);
    expect(cs().restartCount).toBe(3);
    c.advance(281);
    expect(cs().restartCount).toBe(6);
    expect(cs().state.waiting?.message).toContain('back-off 5m0s');
    expect(logsOf(c.ctx, getPod(c, 'db')).join('\n')).toContain('MYSQL_ROOT_PASSWORD');
    expect(goDuration(80_000)).toBe('1m20s');
  });

  it('a finishing command: Succeeded (Completed) under Never and OnFailure; under Always Completed, restarted, then CrashLoopBackOff', () => {
    const c = workloadCluster();
    c.apply(podYaml('job', '  - {name: c, image: busybox, command: [sh, -c, "echo done"]}', '  restartPolicy: Never'));
    // (This cluster has no networking: a one-shot wget or curl would fail to connect, see
    // install-network.test.ts; these commands finish without the network.)
    c.apply(podYaml('once', '  - {name: c, image: busybox, command: [sh, -c, "date; echo ok"]}', '  restartPolicy: OnFailure'));
    c.apply(podYaml('curl', '  - {name: c, image: curlimages/curl, args: [--version]}', '  restartPolicy: Never'));
    c.advance(2);
    for (const name of ['job', 'once', 'curl']) {
      const p = getPod(c, name);
      expect(p.status?.phase).toBe('Succeeded');
      expect(p.status?.containerStatuses?.[0]?.state.terminated).toMatchObject({ reason: 'Completed', exitCode: 0 });
      expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(0);
      expect(p.status?.conditions?.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    }
    c.advance(60);
    expect(getPod(c, 'once').status?.containerStatuses?.[0]?.restartCount).toBe(0);

    c.apply(podYaml('loop', '  - {name: c, image: busybox, command: [sh, -c, "echo once"]}'));
    const word = () => podStatusWord(getPod(c, 'loop'));
    const rc = () => getPod(c, 'loop').status!.containerStatuses![0]!.restartCount;
    c.advance(1);
    expect([word(), rc()]).toEqual(['Completed', 0]);
    expect(getPod(c, 'loop').status?.phase).toBe('Running');
    c.advance(1);
    expect([word(), rc()]).toEqual(['Completed', 1]);
    c.advance(1);
    expect([word(), rc()]).toEqual(['CrashLoopBackOff', 1]);
    expect((getPod(c, 'loop').status!.containerStatuses![0] as unknown as { lastState: { terminated: { reason: string } } }).lastState.terminated.reason).toBe('Completed');
    c.apply(podYaml('sleeper', '  - {name: c, image: busybox, command: [sleep, "3600"]}'));
    c.advance(2);
    expect(podStatusWord(getPod(c, 'sleeper'))).toBe('Running');
  });

  it('a PVC-less pod waits Pending while its claim is unbound', () => {
    const c = workloadCluster();
    c.apply(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: rwx}
spec: {accessModes: [ReadWriteMany], resources: {requests: {storage: 1Gi}}}
`);
    c.apply(podYaml('p', '  - {name: c, image: nginx, volumeMounts: [{name: d, mountPath: /d}]}', '  volumes: [{name: d, persistentVolumeClaim: {claimName: rwx}}]'));
    c.advance(10);
    const p = getPod(c, 'p');
    expect(p.status?.phase).toBe('Pending');
    expect(c.get('PersistentVolumeClaim', 'default', 'rwx')?.status?.phase).toBe('Pending');
    expect(c.events.for('PersistentVolumeClaim', 'default', 'rwx').some((e) => e.message.includes('Only support ReadWriteOnce access mode'))).toBe(true);
  });
});

describe('kubelet: probes', () => {
  it('readiness: Ready at the first probe period after initialDelaySeconds when the port answers', () => {
    const c = workloadCluster();
    c.apply(podYaml('r', '  - {name: c, image: nginx, readinessProbe: {httpGet: {path: /, port: 80}, initialDelaySeconds: 5, periodSeconds: 10}}'));
    c.advance(1);
    const ready = () => getPod(c, 'r').status?.conditions?.find((x) => x.type === 'Ready')?.status;
    expect(getPod(c, 'r').status?.phase).toBe('Running');
    expect(ready()).toBe('False');
    c.advance(9);
    expect(ready()).toBe('False');
    c.advance(1);
    expect(ready()).toBe('True');
  });

  it('readiness on a port nobody listens on, or a path answering 404, never passes', () => {
    const c = workloadCluster();
    c.apply(podYaml('wrongport', '  - {name: c, image: nginx, readinessProbe: {tcpSocket: {port: 8080}}}'));
    c.apply(podYaml('wrongpath', '  - {name: c, image: nginx, readinessProbe: {httpGet: {path: /healthz, port: 80}}}'));
    c.apply(podYaml('named', '  - {name: c, image: nginx, ports: [{name: web, containerPort: 80}], readinessProbe: {httpGet: {path: /, port: web}}}'));
    c.advance(60);
    const ready = (n: string) => getPod(c, n).status?.conditions?.find((x) => x.type === 'Ready')?.status;
    expect(ready('wrongport')).toBe('False');
    expect(ready('wrongpath')).toBe('False');
    expect(ready('named')).toBe('True');
    expect(c.events.for('Pod', 'default', 'wrongport').find((e) => e.reason === 'Unhealthy')?.message).toMatch(/^Readiness probe failed: dial tcp 10\.244\.\d+\.\d+:8080: connect: connection refused$/);
    expect(c.events.for('Pod', 'default', 'wrongpath').find((e) => e.reason === 'Unhealthy')?.message).toBe('Readiness probe failed: HTTP probe failed with statuscode: 404');
  });

  it('a failing liveness probe restarts the container after failureThreshold periods', () => {
    const c = workloadCluster();
    c.apply(podYaml('l', '  - {name: c, image: nginx, livenessProbe: {httpGet: {path: /, port: 9999}, periodSeconds: 10, failureThreshold: 3}}'));
    c.advance(1);
    const rc = () => getPod(c, 'l').status!.containerStatuses![0]!.restartCount;
    expect(rc()).toBe(0);
    c.advance(29);
    expect(rc()).toBe(0);
    c.advance(1); // killed: shows the exit (137) until the next relist, then restarts
    expect(getPod(c, 'l').status!.containerStatuses![0]!.state.terminated).toMatchObject({ reason: 'Error', exitCode: 137 });
    c.advance(1);
    expect(rc()).toBe(1);
    expect(c.events.for('Pod', 'default', 'l').some((e) => e.message === 'Container c failed liveness probe, will be restarted')).toBe(true);
  });
});

describe('kubelet: deletion', () => {
  it('removes a deleted pod after a short shutdown, or the full grace period when PID 1 ignores SIGTERM', () => {
    const c = workloadCluster();
    c.apply(podYaml('quick', '  - {name: c, image: nginx}'));
    c.apply(podYaml('slow', '  - {name: c, image: busybox, command: [sleep, "3600"]}', '  terminationGracePeriodSeconds: 20'));
    c.advance(2);
    c.ops.act({ type: 'deletePod', namespace: 'default', name: 'quick' });
    c.ops.act({ type: 'deletePod', namespace: 'default', name: 'slow' });
    c.settle();
    expect(podStatusWord(getPod(c, 'quick'))).toBe('Terminating');
    c.advance(1);
    expect(getPod(c, 'quick')).toBeUndefined();
    expect(getPod(c, 'slow')).toBeDefined();
    c.advance(19);
    expect(getPod(c, 'slow')).toBeUndefined();
  });
});

describe('env expansion', () => {
  it('expands $(VAR), keeps unknown references and unescapes $$', () => {
    expect(expand('$(A)-$(B)-$$(A)', { A: 'x' })).toBe('x-$(B)-$(A)');
  });
});

describe('kubelet: status writes are copy-on-write', () => {
  it('the old object of a MODIFIED event still shows Ready=False when readiness flips', () => {
    // Not frozen here: the point is to see what a watcher holding `old` observes when nothing
    // stops an edit in place (as in production, where objects are frozen only when forking).
    ObjectStore.freezeOnWrite = false;
    onTestFinished(() => {
      ObjectStore.freezeOnWrite = true;
    });
    const c = workloadCluster();
    const flips: { old: string | undefined; now: string | undefined; oldTime?: string }[] = [];
    const ready = (o: KubeObject | undefined) => (o as Pod | undefined)?.status?.conditions?.find((x) => x.type === 'Ready');
    const seen: { old: KubeObject; object: KubeObject }[] = [];
    c.store.watch((ev) => { if (ev.type === 'MODIFIED' && ev.object.kind === 'Pod' && ev.old) seen.push({ old: ev.old, object: ev.object }); });
    c.apply(podYaml('r', '  - {name: c, image: nginx, readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 10}}'));
    c.advance(20);
    // Read the old objects only now, after every later write: a shared, edited array would show True.
    for (const e of seen) if (ready(e.object)?.status !== ready(e.old)?.status) flips.push({ old: ready(e.old)?.status, now: ready(e.object)?.status });
    expect(flips).toEqual([{ old: undefined, now: 'False' }, { old: 'False', now: 'True' }]);
  });

  it('setCondition replaces the conditions array instead of editing it', () => {
    const conds = [{ type: 'Ready', status: 'False', lastTransitionTime: 't0' }] as unknown as NonNullable<Pod['status']>['conditions'];
    const stored = { status: { conditions: conds } } as unknown as Pod;
    const copy = { ...stored, status: { ...stored.status } } as Pod;
    setCondition(copy, { type: 'Ready', status: 'True' } as never, 't1');
    expect(stored.status!.conditions![0]!.status).toBe('False');
    expect(copy.status!.conditions![0]).toMatchObject({ status: 'True', lastTransitionTime: 't1' });
  });

  it('no controller edits stored objects in place (stored objects are frozen in the harness)', () => {
    const c = workloadCluster();
    c.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx, readinessProbe: {tcpSocket: {port: 80}}}]}
`);
    c.apply(podYaml('crash', '  - {name: c, image: "mysql:8.0"}'));
    expect(() => c.advance(60)).not.toThrow();
    expect(Object.isFrozen(getPod(c, 'crash').status?.conditions)).toBe(true);
    expect(c.pods().filter((p) => p.metadata.labels?.app === 'web' && p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'))).toHaveLength(2);
  });
});

describe('kubelet: Service environment variables', () => {
  it('sets NAME_SERVICE_HOST and the link variables for Services that exist when the container starts', () => {
    const c = workloadCluster();
    c.apply(`
apiVersion: v1
kind: Service
metadata: {name: redis-leader}
spec: {selector: {app: redis}, ports: [{name: redis, port: 6379}]}
---
apiVersion: v1
kind: Service
metadata: {name: headless}
spec: {clusterIP: None, selector: {app: x}, ports: [{port: 80}]}
`);
    c.apply(podYaml('a', '  - {name: c, image: ealen/echo-server, env: [{name: REDIS_LEADER_SERVICE_PORT, value: "1"}, {name: URL, value: "$(REDIS_LEADER_SERVICE_HOST):6379"}]}'));
    c.apply(podYaml('b', '  - {name: c, image: ealen/echo-server}', '  enableServiceLinks: false'));
    c.advance(2);
    const ip = (c.get('Service', 'default', 'redis-leader') as KubeObject).spec.clusterIP as string;
    // Service variables are shared through the env's prototype; envEntries flattens them.
    const env = envEntries(runningContainers(c.ctx, getPod(c, 'a'))[0]!.info.env);
    expect(env).toMatchObject({
      REDIS_LEADER_SERVICE_HOST: ip, REDIS_LEADER_SERVICE_PORT: '1', REDIS_LEADER_SERVICE_PORT_REDIS: '6379', URL: `${ip}:6379`,
      REDIS_LEADER_PORT: `tcp://${ip}:6379`, REDIS_LEADER_PORT_6379_TCP_ADDR: ip, REDIS_LEADER_PORT_6379_TCP_PROTO: 'tcp',
      KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443',
    });
    expect(env.HEADLESS_SERVICE_HOST).toBeUndefined();
    const envB = runningContainers(c.ctx, getPod(c, 'b'))[0]!.info.env;
    expect(envB.REDIS_LEADER_SERVICE_HOST).toBeUndefined();
    expect(envB.KUBERNETES_SERVICE_HOST).toBe('10.96.0.1');
    // A Service created after the container started is not in its environment.
    c.apply('apiVersion: v1\nkind: Service\nmetadata: {name: late}\nspec: {selector: {app: y}, ports: [{port: 80}]}\n');
    expect(runningContainers(c.ctx, getPod(c, 'a'))[0]!.info.env.LATE_SERVICE_HOST).toBeUndefined();
  });
});
