/**
 * The network's view of a container must be the kubelet's: `args` alone keep the image's
 * entrypoint (http-echo configured by `-listen`/`-text`), and $(VAR) expands in command and
 * args from the container's env ($$ escapes, unknown references stay as written).
 */
import { describe, expect, it } from 'vitest';
import { SimCluster } from '../cluster.ts';
import type { KubeObject, Pod } from '../api/types.ts';
import { StoreNetworkState } from './state.ts';
import { WorkloadPodRuntime } from './runtime.ts';

const doc = (object: KubeObject) => ({ object, file: 'test.yaml', line: 1 });

function echo(container: Record<string, unknown>): KubeObject[] {
  const labels = { app: 'echo' };
  return [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'echo', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'echo', image: 'hashicorp/http-echo', ...container }] } } },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'echo', namespace: 'default' }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } },
  ];
}

function cluster(objects: KubeObject[]): SimCluster {
  const c = new SimCluster({ seed: 3 });
  expect(c.apply(objects.map(doc)).failed).toEqual([]);
  expect(c.waitForRollout(300).complete).toBe(true);
  return c;
}

describe('WorkloadPodRuntime.containerInfo', () => {
  it('a container configured only by args listens where its args say and answers with them', () => {
    const c = cluster(echo({ args: ['-listen=:8080', '-text=hello from args'] }));
    const r = c.net.http({ from: { kind: 'pod', namespace: 'default' }, url: 'http://echo/' });
    expect(r).toMatchObject({ ok: true, status: 200, body: 'hello from args\n' });
  });

  it('expands $(VAR) in args from the env, keeps $$(VAR) as $(VAR) and unknown references as written', () => {
    const c = cluster(echo({
      env: [{ name: 'PORT', value: '8080' }, { name: 'WHO', value: 'world' }],
      args: ['-listen=:$(PORT)', '-text=hi $(WHO) $$(WHO) $(NOPE)'],
    }));
    const r = c.net.http({ from: { kind: 'pod', namespace: 'default' }, url: 'http://echo/' });
    expect(r).toMatchObject({ ok: true, status: 200, body: 'hi world $(WHO) $(NOPE)\n' });
  });

  it('keeps command and args apart, both expanded, exactly as the kubelet runs them', () => {
    const c = cluster(echo({
      env: [{ name: 'BIN', value: '/http-echo' }, { name: 'WHO', value: 'there' }],
      command: ['$(BIN)'],
      args: ['-listen=:8080', '-text=$(WHO)'],
    }));
    const pod = c.ctx.store.list('Pod', 'default').find((p) => p.metadata.labels?.app === 'echo') as Pod;
    const rt = new WorkloadPodRuntime(c.ctx, new StoreNetworkState(c.ctx.store), c.workloads);
    const info = rt.containerInfo(pod, pod.spec.containers[0]!);
    expect(info.command).toEqual(['/http-echo']);
    expect(info.args).toEqual(['-listen=:8080', '-text=there']);
    expect(info.pod.status?.podIP).toBe(pod.status?.podIP);
    const argsOnly = rt.containerInfo(pod, { name: 'x', image: 'hashicorp/http-echo', args: ['-text=a'] });
    expect(argsOnly.command).toBeUndefined();
    expect(c.net.http({ from: { kind: 'pod', namespace: 'default' }, url: 'http://echo/' })).toMatchObject({ ok: true, body: 'there\n' });
  });
});

describe('the process view after start', () => {
  it('keeps the environment the container started with: a Service created later is not in it', () => {
    const c = cluster(echo({ args: ['-listen=:8080', '-text=x'] }));
    const pod = c.ctx.store.list('Pod', 'default').find((p) => p.metadata.labels?.app === 'echo') as Pod;
    const rt = new WorkloadPodRuntime(c.ctx, new StoreNetworkState(c.ctx.store), c.workloads);
    const before = rt.containerInfo(pod, pod.spec.containers[0]!).env;
    expect(before.ECHO_SERVICE_HOST).toBeDefined();
    expect(c.apply([doc({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'late', namespace: 'default' }, spec: { selector: { app: 'echo' }, ports: [{ port: 81, targetPort: 8080 }] } })]).failed).toEqual([]);
    const after = rt.containerInfo(pod, pod.spec.containers[0]!).env;
    expect(after.LATE_SERVICE_HOST).toBeUndefined();
    expect(after).toEqual(before);
  });

  it('a connection through a Service in another namespace reports the namespace of the pod it reached', async () => {
    const { processNetworkFor } = await import('../nodes/state.ts');
    const labels = { app: 'echo' };
    const c = new SimCluster({ seed: 3 });
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'data' } },
      ...echo({ args: ['-listen=:8080', '-text=x'] }).map((o) => ({ ...o, metadata: { ...o.metadata, namespace: 'data' } })),
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } },
    ];
    expect(c.apply(objects.map(doc)).failed).toEqual([]);
    expect(c.waitForRollout(300).complete).toBe(true);
    const client = c.ctx.store.get('Pod', 'default', 'client') as Pod;
    const r = processNetworkFor(c.ctx, client).connect('echo.data', 80);
    const target = c.ctx.store.list('Pod', 'data').find((p) => p.metadata.labels?.app === labels.app)!;
    expect(r).toMatchObject({ ok: true, pod: target.metadata.name, namespace: 'data' });
  });
});

describe('cached runtime info and listeners', () => {
  it('follows a store write: a ConfigMap mounted as files shows its new content, listeners move with a new pod', () => {
    const labels = { app: 'site' };
    const c = cluster([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'site', namespace: 'default' }, data: { 'index.html': 'one' } },
      {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'site', namespace: 'default', labels },
        spec: {
          containers: [{ name: 'web', image: 'nginx', volumeMounts: [{ name: 'html', mountPath: '/usr/share/nginx/html' }] }],
          volumes: [{ name: 'html', configMap: { name: 'site' } }],
        },
      },
    ]);
    const rt = new WorkloadPodRuntime(c.ctx, new StoreNetworkState(c.ctx.store), c.workloads);
    const pod = c.ctx.store.get('Pod', 'default', 'site') as Pod;
    const first = rt.containerInfo(pod, pod.spec.containers[0]!);
    expect(first.files?.read('/usr/share/nginx/html/index.html')).toBe('one');
    // Asked again with nothing changed: the same answer (served from the cache).
    expect(rt.containerInfo(pod, pod.spec.containers[0]!)).toBe(first);
    expect(rt.listeners(pod)).toBe(rt.listeners(pod));
    const cm = structuredClone(c.ctx.store.get('ConfigMap', 'default', 'site')!);
    cm.data = { 'index.html': 'two' };
    c.ctx.api.update(cm);
    const second = rt.containerInfo(pod, pod.spec.containers[0]!);
    expect(second).not.toBe(first);
    expect(second.files?.read('/usr/share/nginx/html/index.html')).toBe('two');
    expect(rt.listeners(pod).map((l) => l.port)).toEqual([80]);
  });
});
