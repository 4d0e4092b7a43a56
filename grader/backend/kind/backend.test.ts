import { describe, expect, it } from 'vitest';
import { KindBackend } from './backend.ts';
import type { CommandRunner, RunResult } from './tools.ts';
import type { ExecResult, KubeClient } from './kube.ts';
import type { KubeObject } from '../../sim/api/types.ts';
import type { LoadedDocument } from '../../manifests/types.ts';
import type { HttpResult } from '../types.ts';
import { PROBE_POD } from './probes.ts';

class FakeRunner implements CommandRunner {
  calls: string[] = [];
  constructor(private readonly answers: Record<string, Partial<RunResult>> = {}) {}
  async run(command: string, args: string[]): Promise<RunResult> {
    const line = [command, ...args].join(' ');
    this.calls.push(line);
    const key = Object.keys(this.answers).find((k) => line.startsWith(k));
    return { exitCode: 0, stdout: '', stderr: '', ...(key ? this.answers[key] : {}) };
  }
}

class FakeKube implements KubeClient {
  objects = new Map<string, KubeObject>();
  applied: KubeObject[] = [];
  patches: { kind: string; name: string; patch: any }[] = [];
  deleted: string[] = [];
  execs: { namespace: string; pod: string; command: string[] }[] = [];
  execAnswer: ExecResult = { exitCode: 0, stdout: '', stderr: '' };
  key(kind: string, ns: string | undefined, name: string) { return `${kind}/${ns ?? ''}/${name}`; }
  async apply(obj: KubeObject) { this.applied.push(obj); this.objects.set(this.key(obj.kind, obj.metadata.namespace, obj.metadata.name), obj); return obj; }
  async get(kind: string, ns: string | undefined, name: string) { return this.objects.get(this.key(kind, ns, name)); }
  async list(kind: string, ns?: string) { return [...this.objects.values()].filter((o) => o.kind === kind && (ns === undefined || o.metadata.namespace === ns)); }
  async delete(kind: string, ns: string | undefined, name: string) { this.deleted.push(this.key(kind, ns, name)); this.objects.delete(this.key(kind, ns, name)); }
  async patch(kind: string, _ns: string | undefined, name: string, patch: any) { this.patches.push({ kind, name, patch }); }
  async exec(namespace: string, pod: string, _c: string, command: string[]) { this.execs.push({ namespace, pod, command }); return this.execAnswer; }
}

const toolsOk = { 'kind version': { stdout: 'kind v0.29.0 go1.24 linux/amd64' }, 'docker info': { stdout: '28.2.2' } };
const shape = { workers: 2, proxyMode: 'iptables' as const, ingress: false, loadBalancer: false };
const doc = (object: any, line = 1): LoadedDocument => ({ object, file: 'app.yaml', line });

function make(runnerAnswers: Record<string, Partial<RunResult>> = toolsOk, extra: Partial<ConstructorParameters<typeof KindBackend>[0]> = {}) {
  const runner = new FakeRunner(runnerAnswers);
  const kube = new FakeKube();
  let t = 0;
  const backend = new KindBackend({
    runner, kubeClient: async () => kube, sleep: async (ms) => { t += ms; }, now: () => t,
    namespacePrefix: 'kl-alice', fetchText: async () => 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ingress-nginx\n', ...extra,
  });
  return { runner, kube, backend };
}

describe('KindBackend with faked kind, docker and API', () => {
  it('explains how to install kind and docker, or to use the simulator, when they are missing', async () => {
    const { backend } = make({ 'kind version': { exitCode: 127, stderr: 'not found' }, 'docker info': { exitCode: 1 } });
    await expect(backend.start(shape, { seed: 1, workDir: '/tmp/kubelab-kind-test' })).rejects.toMatchObject({
      message: expect.stringMatching(/`kind` was not found.*No Docker engine/s),
      hint: expect.stringMatching(/--cluster sim/),
    });
  });

  it('creates a cluster from a generated config and prepares the submission namespace', async () => {
    const { backend, runner, kube } = make();
    await backend.start(shape, { seed: 1, workDir: '/tmp/kubelab-kind-test' });
    expect(runner.calls.find((c) => c.startsWith('kind create cluster'))).toMatch(/--name kubelab --config \/tmp\/kubelab-kind-test\/kubelab\.kind\.yaml/);
    expect(kube.applied.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace//kl-alice', 'ResourceQuota/kl-alice/kubelab-submission', `Pod/kl-alice/${PROBE_POD}`,
    ]);
    await backend.stop();
    expect(kube.deleted).toContain('Namespace//kl-alice');
    expect(runner.calls.at(-1)).toBe('kind delete cluster --name kubelab');
  });

  it('reuses an existing cluster and keeps it', async () => {
    const { backend, runner } = make({ ...toolsOk, 'kind get clusters': { stdout: 'kubelab' } });
    await backend.start(shape, { seed: 1, workDir: '/tmp/kubelab-kind-test' });
    await backend.stop();
    expect(runner.calls.some((c) => c.startsWith('kind create'))).toBe(false);
    expect(runner.calls.some((c) => c.startsWith('kind delete'))).toBe(false);
  });

  it('installs MetalLB with a pool on kind\'s docker network', async () => {
    const { backend, kube } = make({ ...toolsOk, 'docker network inspect': { stdout: 'fc00:f853:ccd:e793::/64 172.18.0.0/16 ' } });
    // The addon counts as ready once its Deployment reports a ready replica.
    const origGet = kube.get.bind(kube);
    kube.get = async (kind, ns, name) => (kind === 'Deployment' && ns === 'metallb-system' && kube.applied.length > 0 ? { apiVersion: 'apps/v1', kind, metadata: { name, namespace: ns }, status: { readyReplicas: 1 } } : origGet(kind, ns, name));
    await backend.start({ ...shape, loadBalancer: true }, { seed: 1, workDir: '/tmp/kubelab-kind-test' });
    const pool = kube.applied.find((o) => o.kind === 'IPAddressPool');
    expect(pool?.spec.addresses).toEqual(['172.18.255.200-172.18.255.250']);
  });

  it('applies into the submission\'s namespaces and refuses unsafe objects before apply', async () => {
    const { backend, kube } = make();
    await backend.start(shape, { seed: 1, workDir: '/tmp/kubelab-kind-test' });
    const r = await backend.apply([
      doc({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } }, 1),
      doc({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'prod' }, spec: { ports: [{ port: 80 }] } }, 5),
      doc({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'root' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] } }, 12),
      doc({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'staging' } }, 20),
    ]);
    expect(r.applied.map((a) => `${a.ref.kind} ${a.ref.namespace ?? ''}/${a.ref.name}`)).toEqual(['Namespace /prod', 'Service prod/web']);
    expect(r.failed.map((f) => [f.line, f.message])).toEqual([
      [12, expect.stringMatching(/refused on the shared cluster: Pod\/root: spec.hostNetwork/)],
      [20, 'namespaces "staging" not found'],
    ]);
    expect(kube.objects.get('Service/kl-alice-prod/web')).toBeDefined();
    expect(kube.objects.get('Pod/kl-alice/root')).toBeUndefined();
    // Reads come back in the lab's namespaces.
    expect((await backend.get({ kind: 'Service', namespace: 'prod', name: 'web' }))?.metadata.namespace).toBe('prod');
  });

  it('asks DNS from the probe pod with the namespace-mapped name', async () => {
    const { backend, kube } = make();
    await backend.start(shape, { seed: 1, workDir: '/tmp/kubelab-kind-test' });
    kube.execAnswer = { exitCode: 0, stderr: '', stdout: ';; ->>HEADER<<- opcode: QUERY, status: NOERROR\n;; ANSWER SECTION:\nweb.kl-alice.svc.cluster.local. 30 IN A 10.96.3.4\n' };
    const r = await backend.dns({ from: { kind: 'pod', namespace: 'default' }, name: 'web.default.svc.cluster.local', type: 'A' });
    expect(kube.execs.at(-1)).toMatchObject({ namespace: 'kl-alice', pod: PROBE_POD });
    expect(kube.execs.at(-1)!.command).toContain('web.kl-alice.svc.cluster.local');
    expect(r.rcode).toBe('NOERROR');
    expect(r.answers.map((a) => a.data)).toEqual(['10.96.3.4']);
  });

  it('sends a distribution\'s requests in one exec from the probe pod, in the mapped namespace', async () => {
    const { backend, kube } = make();
    await backend.start(shape, { seed: 1, workDir: '/tmp/kubelab-kind-test' });
    const answer = (pod: string) => `HTTP/1.1 200 OK\r\n\r\nHostname: ${pod}\n\n__KUBELAB__200 10.244.1.2\n__KUBELAB_RC__0\n`;
    kube.execAnswer = { exitCode: 0, stderr: '', stdout: `${answer('web-a')}curl: (7) Failed to connect to web port 80: Couldn't connect to server\n__KUBELAB_RC__7\n${answer('web-b')}` };
    const execsBefore = kube.execs.length;
    const rs: HttpResult[] = [];
    await backend.httpRepeat({ from: { kind: 'pod', namespace: 'default' }, url: 'http://web.default.svc.cluster.local/' }, 3, (r) => rs.push(r));
    expect(kube.execs.length - execsBefore).toBe(1);
    const cmd = kube.execs.at(-1)!;
    expect(cmd).toMatchObject({ namespace: 'kl-alice', pod: PROBE_POD });
    expect(cmd.command.slice(0, 2)).toEqual(['bash', '-c']);
    expect(cmd.command[2]).toContain('seq 3');
    expect(cmd.command[2]).toContain('web.kl-alice.svc.cluster.local');
    expect(rs.map((r) => (r.ok ? r.servedBy?.pod : r.error))).toEqual(['web-a', 'connection refused', 'web-b']);
  });

  it('kills a node by stopping its container, and shortens eviction with a taint, saying so', async () => {
    const { backend, runner, kube } = make();
    await backend.start(shape, { seed: 1, workDir: '/tmp/kubelab-kind-test' });
    kube.objects.set('Node//kubelab-worker', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'kubelab-worker' }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } });
    // Labs name nodes as kind's default cluster does; the backend maps them to its cluster's names.
    expect((await backend.list('Node')).map((n) => n.metadata.name)).toEqual(['kind-worker']);
    const kill = await backend.act({ type: 'killNode', node: 'kind-worker' });
    expect(runner.calls).toContain('docker stop kubelab-worker');
    expect(kill.summary).toMatch(/NotReady/);
    const adv = await backend.act({ type: 'advance', seconds: 360 });
    expect(kube.patches.at(-1)).toMatchObject({ kind: 'Node', name: 'kubelab-worker' });
    expect(adv.approximation).toMatch(/NoExecute taint instead of waiting for the 300 s toleration/);
    await backend.stop();
    expect(runner.calls).toContain('docker start kubelab-worker');
  });

  it('cannot add nodes to a running kind cluster and says why', async () => {
    const { backend } = make();
    await backend.start(shape, { seed: 1, workDir: '/tmp/kubelab-kind-test' });
    await expect(backend.act({ type: 'addNode' })).rejects.toThrow(/kind cannot add a node/);
  });
});

describe('KindBackend in a batch', () => {
  it('shares the cluster another worker is creating instead of failing', async () => {
    const { backend, runner } = make({ ...toolsOk, 'kind create cluster': { exitCode: 1, stderr: 'ERROR: failed to create cluster: node(s) already exist for a cluster with the name "kubelab"' }, 'kind get kubeconfig': { stdout: 'apiVersion: v1\nkind: Config\n' } });
    await backend.start(shape, { seed: 1, workDir: '/tmp/kubelab-kind-test' });
    expect(runner.calls.some((c) => c.startsWith('kind get kubeconfig --name kubelab'))).toBe(true);
    await backend.stop();
    // It did not create the cluster, so it must not delete it.
    expect(runner.calls.some((c) => c.startsWith('kind delete'))).toBe(false);
  });

  it('gives every backend instance its own namespaces', () => {
    const a = new KindBackend({ runner: new FakeRunner(toolsOk) });
    const b = new KindBackend({ runner: new FakeRunner(toolsOk) });
    expect(a.namespaceMap.prefix).not.toBe(b.namespaceMap.prefix);
  });
});
