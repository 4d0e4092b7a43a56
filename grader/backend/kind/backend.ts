/**
 * The real-cluster backend: the same Backend interface as the simulator, on a kind cluster.
 * Lifecycle through the `kind` CLI, objects through the Kubernetes API (server-side apply),
 * in-cluster probes through a probe pod, outside probes from the host. Every submission gets
 * its own namespaces, a ResourceQuota, and is cleaned up even when grading fails.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import YAML from 'yaml';
import type {
  Action, ActionResult, ApplyResult, Backend, BackendCapabilities, BackendOptions, ClusterShape, DnsQuery, DnsResult,
  HttpProbe, HttpResult, RolloutResult, TcpProbe, TcpResult,
} from '../types.ts';
import type { KubeObject, ObjectRef } from '../../sim/api/types.ts';
import type { LoadedDocument } from '../../manifests/types.ts';
import { type CommandRunner, execaRunner, requireTools } from './tools.ts';
import { INGRESS_NGINX_MANIFEST, METALLB_MANIFEST, generateKindConfig, metallbPoolFor, metallbPoolManifests } from './config.ts';
import { type KubeClient, createKubeClient } from './kube.ts';
import { NamespaceMap } from './namespaces.ts';
import { DEFAULT_ALLOWED_KINDS, type SafetyPolicy, checkSafety, submissionQuota } from './safety.ts';
import { PROBE_POD, curlCommand, curlRepeatCommand, digCommand, ncCommand, parseCurl, parseCurlRepeat, parseDig, parseNc, probePodManifest } from './probes.ts';
import { externalHttp, externalTcp } from './external.ts';
import { registerCleanup } from './cleanup.ts';

export interface KindBackendOptions {
  /** Reuse the cluster of this kubeconfig context instead of creating one (`--kube-context`). */
  kubeContext?: string;
  kubeconfig?: string;
  /** Keep the cluster after grading (`--keep-cluster`). */
  keepCluster?: boolean;
  clusterName?: string;
  /** Namespace prefix of this submission (batch: one per submission). */
  namespacePrefix?: string;
  policy?: Partial<SafetyPolicy>;
  /** Upper bound of one real wait (advance, node loss); longer waits are shortened and reported. */
  maxWaitSeconds?: number;
  runner?: CommandRunner;
  kubeClient?: (kubeconfig: string, context?: string) => Promise<KubeClient>;
  sleep?: (ms: number) => Promise<void>;
  fetchText?: (url: string) => Promise<string>;
  /** Wall clock for real waits; injected so tests stay instant. */
  now?: () => number;
}

let instances = 0;
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
/** kube-controller-manager's node-monitor-grace-period on 1.31. */
const NODE_GRACE_SECONDS = 40;

export class KindBackend implements Backend {
  readonly name = 'kind' as const;
  readonly capabilities: BackendCapabilities;
  private client!: KubeClient;
  private kubeconfig = '';
  private created = false;
  private readonly runner: CommandRunner;
  private readonly ns: NamespaceMap;
  private readonly namespaces = new Set<string>(['default']);
  private readonly policy: SafetyPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly clusterName: string;
  private killed = new Map<string, number>();
  private unregister?: () => void;

  constructor(private readonly opts: KindBackendOptions = {}) {
    this.runner = opts.runner ?? execaRunner;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = opts.now ?? (() => Date.now());
    this.clusterName = opts.clusterName ?? 'kubelab';
    // Each backend instance (a submission, or a scenario's fresh cluster view) gets its own
    // namespaces, so parallel and successive runs never see each other's objects.
    // Worker threads share the pid, so the thread id is part of the name too (batch on kind).
    this.ns = new NamespaceMap(opts.namespacePrefix ?? `kl-${process.pid.toString(36)}-${threadId}-${++instances}`);
    this.policy = { allowedKinds: opts.policy?.allowedKinds ?? DEFAULT_ALLOWED_KINDS, nodePorts: opts.policy?.nodePorts ?? { min: 30000, max: 32767 } };
    this.capabilities = { virtualTime: false, attributesEveryResponse: false, maxAdvanceSeconds: opts.maxWaitSeconds ?? 120 };
  }

  get namespaceMap(): NamespaceMap {
    return this.ns;
  }

  async start(shape: ClusterShape, options: BackendOptions): Promise<void> {
    await requireTools(this.runner);
    const workDir = options.workDir ?? path.join(os.tmpdir(), 'kubelab-kind');
    await mkdir(workDir, { recursive: true });
    if (this.opts.kubeContext) {
      this.kubeconfig = this.opts.kubeconfig ?? path.join(os.homedir(), '.kube', 'config');
    } else {
      this.kubeconfig = path.join(workDir, `${this.clusterName}.kubeconfig`);
      const existing = await this.runner.run('kind', ['get', 'clusters']);
      if (!existing.stdout.split('\n').includes(this.clusterName)) {
        const configPath = path.join(workDir, `${this.clusterName}.kind.yaml`);
        await writeFile(configPath, generateKindConfig(shape, { hostPorts: shape.ingress ? { http: 80, https: 443 } : undefined }));
        const r = await this.runner.run('kind', ['create', 'cluster', '--name', this.clusterName, '--config', configPath, '--kubeconfig', this.kubeconfig, '--wait', '180s'], { timeoutMs: 600_000 });
        if (r.exitCode === 0) {
          this.created = true;
        } else if (/already exist/i.test(r.stderr)) {
          // Another batch worker created it a moment earlier: share it instead.
          const ok = await this.poll(300, async () => (await this.runner.run('kind', ['get', 'kubeconfig', '--name', this.clusterName])).exitCode === 0);
          if (!ok) throw new Error(`kind cluster ${this.clusterName} exists but gave no kubeconfig within 300 s`);
          await writeFile(this.kubeconfig, (await this.runner.run('kind', ['get', 'kubeconfig', '--name', this.clusterName])).stdout);
        } else {
          throw new Error(`kind create cluster failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
        }
      } else {
        const r = await this.runner.run('kind', ['get', 'kubeconfig', '--name', this.clusterName]);
        await writeFile(this.kubeconfig, r.stdout);
      }
    }
    this.client = await (this.opts.kubeClient ?? createKubeClient)(this.kubeconfig, this.opts.kubeContext);
    this.unregister = registerCleanup(() => this.stop());
    if (shape.ingress) await this.installAddon('ingress-nginx', INGRESS_NGINX_MANIFEST, 'ingress-nginx', 'ingress-nginx-controller');
    if (shape.loadBalancer) {
      await this.installAddon('MetalLB', METALLB_MANIFEST, 'metallb-system', 'controller');
      const inspect = await this.runner.run('docker', ['network', 'inspect', 'kind', '--format', '{{range .IPAM.Config}}{{.Subnet}} {{end}}']);
      const subnet = inspect.stdout.split(/\s+/).find((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s));
      if (!subnet) throw new Error('could not read the IPv4 subnet of docker network "kind"');
      for (const m of metallbPoolManifests(metallbPoolFor(subnet))) await this.client.apply(m as KubeObject);
    }
    await this.ensureNamespace('default');
  }

  private async installAddon(label: string, url: string, namespace: string, deployment: string): Promise<void> {
    if (await this.client.get('Deployment', namespace, deployment)) return;
    const text = await (this.opts.fetchText ?? defaultFetchText)(url);
    for (const doc of YAML.parseAllDocuments(text)) {
      const obj = doc.toJS() as KubeObject | null;
      if (obj?.kind) await this.client.apply(obj);
    }
    const ok = await this.poll(180, async () => {
      const d = await this.client.get('Deployment', namespace, deployment);
      return (d?.status?.readyReplicas ?? 0) >= 1;
    });
    if (!ok) throw new Error(`${label} did not become ready within 180 s`);
  }

  private async ensureNamespace(logical: string): Promise<void> {
    const real = this.ns.real(logical);
    this.namespaces.add(logical);
    await this.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: real, labels: { 'app.kubernetes.io/managed-by': 'kubelab' } } });
    await this.client.apply(submissionQuota(real));
    await this.client.apply(probePodManifest(real) as KubeObject);
  }

  async apply(documents: LoadedDocument[]): Promise<ApplyResult> {
    const result: ApplyResult = { applied: [], failed: [], warnings: [] };
    const refusals = checkSafety(documents, this.policy);
    for (const r of refusals) result.failed.push({ file: r.file, line: r.line, message: `refused on the shared cluster: ${r.object}: ${r.reason}` });
    const refused = new Set(refusals.map((r) => `${r.file}:${r.line}`));
    for (const d of documents) if (d.object.kind === 'Namespace') this.namespaces.add(d.object.metadata.name);
    for (const d of documents) {
      if (refused.has(`${d.file}:${d.line}`)) continue;
      const logicalNs = d.object.kind === 'Namespace' ? undefined : (d.object.metadata.namespace ?? 'default');
      try {
        if (d.object.kind === 'Namespace') {
          await this.ensureNamespace(d.object.metadata.name);
        } else {
          if (logicalNs && !this.namespaces.has(logicalNs)) {
            throw new Error(`namespaces "${logicalNs}" not found`);
          }
          await this.client.apply(this.ns.rewriteObject(d.object, this.namespaces));
        }
        result.applied.push({ ref: { kind: d.object.kind, namespace: logicalNs, name: d.object.metadata.name }, file: d.file, line: d.line, action: 'configured' });
      } catch (e: any) {
        const message = e?.body?.message ?? e?.message ?? String(e);
        result.failed.push({ file: d.file, line: d.line, ref: { kind: d.object.kind, namespace: logicalNs, name: d.object.metadata.name }, message: String(message) });
      }
    }
    return result;
  }

  async waitForRollout(timeoutSeconds: number): Promise<RolloutResult> {
    const start = this.now();
    let workloads: RolloutResult['workloads'] = [];
    const bound = Math.min(timeoutSeconds, this.opts.maxWaitSeconds ?? timeoutSeconds);
    await this.poll(bound, async () => {
      workloads = [];
      for (const logical of this.namespaces) {
        for (const kind of WORKLOAD_KINDS) {
          for (const o of await this.client.list(kind, this.ns.real(logical))) {
            const want = o.spec?.replicas ?? (kind === 'DaemonSet' ? o.status?.desiredNumberScheduled : 1) ?? 1;
            const ready = kind === 'DaemonSet' ? o.status?.numberReady ?? 0 : o.status?.readyReplicas ?? 0;
            const updated = kind === 'DaemonSet' ? o.status?.updatedNumberScheduled ?? 0 : o.status?.updatedReplicas ?? 0;
            const done = ready >= want && updated >= want;
            workloads.push({
              ref: { kind, namespace: logical, name: o.metadata.name },
              ready: done,
              message: done ? `${kind.toLowerCase()} "${o.metadata.name}" successfully rolled out` : `Waiting for rollout to finish: ${ready} of ${want} updated replicas are available...`,
            });
          }
        }
      }
      return workloads.every((w) => w.ready);
    });
    return { complete: workloads.every((w) => w.ready), workloads, waitedSeconds: Math.round((this.now() - start) / 1000) };
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const o = ref.kind === 'Node'
      ? await this.client.get('Node', undefined, this.nodeReal(ref.name))
      : await this.client.get(ref.kind, this.ns.real(ref.namespace), ref.name);
    return o ? this.toLogical(o) : undefined;
  }

  async list(kind: string, namespace?: string): Promise<KubeObject[]> {
    if (kind === 'Node' || kind === 'PersistentVolume' || kind === 'IngressClass' || kind === 'StorageClass') return (await this.client.list(kind)).map((o) => this.toLogical(o));
    const namespaces = namespace ? [namespace] : [...this.namespaces];
    const out: KubeObject[] = [];
    for (const n of namespaces) for (const o of await this.client.list(kind, this.ns.real(n))) if (o.metadata.name !== PROBE_POD) out.push(this.toLogical(o));
    return out;
  }

  /**
   * kind names nodes after the cluster (`kubelab-worker2`); labs and the simulator use kind's
   * default cluster name (`kind-worker2`). Map between the two so checks name nodes alike.
   */
  nodeReal(logical: string): string {
    return this.clusterName !== 'kind' && logical.startsWith('kind-') ? `${this.clusterName}-${logical.slice(5)}` : logical;
  }

  nodeLogical(real: string): string {
    return this.clusterName !== 'kind' && real.startsWith(`${this.clusterName}-`) ? `kind-${real.slice(this.clusterName.length + 1)}` : real;
  }

  private toLogical(o: KubeObject): KubeObject {
    const out: KubeObject = { ...o, metadata: { ...o.metadata } };
    if (o.kind === 'Node') out.metadata.name = this.nodeLogical(o.metadata.name);
    if (o.metadata.namespace) out.metadata.namespace = this.ns.logical(o.metadata.namespace);
    if (o.kind === 'Pod' && o.spec?.nodeName) out.spec = { ...o.spec, nodeName: this.nodeLogical(o.spec.nodeName) };
    if (o.kind === 'EndpointSlice' && Array.isArray(o.endpoints)) {
      out.endpoints = o.endpoints.map((e: any) => (e.nodeName ? { ...e, nodeName: this.nodeLogical(e.nodeName) } : e));
    }
    return out;
  }

  private async execProbe(logicalNs: string, command: string[]) {
    return this.client.exec(this.ns.real(logicalNs), PROBE_POD, 'probe', command, 15_000);
  }

  async dns(q: DnsQuery): Promise<DnsResult> {
    const name = this.ns.rewriteName(q.name, this.namespaces);
    const r = await this.execProbe(q.from.namespace, digCommand(name, q.type));
    const parsed = parseDig(r.stdout);
    return { ...parsed, trace: [{ component: 'dns', detail: `dig +search ${name} ${q.type} from ${PROBE_POD} in ${this.ns.real(q.from.namespace)}: ${parsed.rcode}` }] };
  }

  async http(p: HttpProbe): Promise<HttpResult> {
    if (p.from.kind === 'external') return externalHttp(p);
    const url = new URL(p.url);
    url.hostname = this.ns.rewriteName(url.hostname, this.namespaces);
    const r = await this.execProbe(p.from.namespace, curlCommand({ ...p, url: url.toString() }));
    return parseCurl(r.stdout, r.exitCode, r.stderr);
  }

  async httpRepeat(p: HttpProbe, count: number, each: (r: HttpResult, i: number) => void): Promise<void> {
    if (p.from.kind === 'external') {
      for (let i = 0; i < count; i++) each(await externalHttp(p), i);
      return;
    }
    const url = new URL(p.url);
    url.hostname = this.ns.rewriteName(url.hostname, this.namespaces);
    const keepAlive = p.connectionKey !== undefined;
    // Each request is bounded by curl's --max-time; the exec by all of them, within 10 minutes.
    const timeoutMs = Math.min(600_000, 15_000 + count * 6_000);
    const r = await this.client.exec(this.ns.real(p.from.namespace), PROBE_POD, 'probe', curlRepeatCommand({ ...p, url: url.toString() }, count, keepAlive), timeoutMs);
    parseCurlRepeat(r.stdout, r.exitCode, r.stderr, count, keepAlive).forEach((x, i) => each(x, i));
  }

  async tcp(p: TcpProbe): Promise<TcpResult> {
    if (p.from.kind === 'external') return externalTcp(p.host, p.port);
    const r = await this.execProbe(p.from.namespace, ncCommand(this.ns.rewriteName(p.host, this.namespaces), p.port));
    return { result: parseNc(r.exitCode, r.stderr), trace: [{ component: 'client', detail: `nc -z ${p.host} ${p.port}: ${r.stderr.trim()}` }] };
  }

  async act(a: Action): Promise<ActionResult> {
    switch (a.type) {
      case 'killNode': {
        const node = this.nodeReal(a.node);
        await this.docker(['stop', node]);
        this.killed.set(node, this.now());
        // Wait for the node controller to notice (node-monitor-grace-period), bounded.
        const noticed = await this.poll(NODE_GRACE_SECONDS + 30, async () => {
          const n = await this.client.get('Node', undefined, node);
          return n?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status !== 'True') ?? false;
        });
        return { summary: `stopped node container ${node}${noticed ? '; the node is NotReady' : '; the node was not yet NotReady after the wait'}` };
      }
      case 'restoreNode':
        await this.docker(['start', this.nodeReal(a.node)]);
        this.killed.delete(this.nodeReal(a.node));
        return { summary: `started node container ${this.nodeReal(a.node)}` };
      case 'deleteNode':
        await this.client.delete('Node', undefined, this.nodeReal(a.node));
        return { summary: `deleted Node ${a.node}` };
      case 'addNode':
        throw new Error('kind cannot add a node to a running cluster; this step needs the simulator (or a lab-defined cluster with the extra node from the start)');
      case 'deletePod':
        await this.client.delete('Pod', this.ns.real(a.namespace), a.name, { force: a.force });
        return { summary: `deleted pod ${a.namespace}/${a.name}${a.force ? ' (force)' : ''}` };
      case 'scale':
        await this.client.patch(a.kind, this.ns.real(a.namespace), a.name, { spec: { replicas: a.replicas } });
        return { summary: `scaled ${a.kind} ${a.namespace}/${a.name} to ${a.replicas}` };
      case 'setImage': {
        const o = await this.client.get(a.kind, this.ns.real(a.namespace), a.name);
        if (!o) throw new Error(`${a.kind} ${a.namespace}/${a.name} not found`);
        const containers = (o.spec?.template?.spec?.containers ?? []).map((c: any) => (c.name === a.container ? { ...c, image: a.image } : c));
        await this.client.patch(a.kind, this.ns.real(a.namespace), a.name, { spec: { template: { spec: { containers } } } });
        return { summary: `set image of ${a.container} in ${a.kind} ${a.namespace}/${a.name} to ${a.image}` };
      }
      case 'apply': {
        const r = await this.apply(a.documents);
        return { summary: `applied ${r.applied.length} object(s)${r.failed.length ? `, ${r.failed.length} failed` : ''}` };
      }
      case 'advance':
        return this.advance(a.seconds);
    }
  }

  /**
   * Real time cannot be skipped. Waits are bounded by maxWaitSeconds; when a killed node's pods
   * would be evicted inside the requested span (300 s toleration), the eviction is brought
   * forward by a NoExecute taint none of them tolerate — reported as an approximation.
   */
  private async advance(seconds: number): Promise<ActionResult> {
    const bound = this.opts.maxWaitSeconds ?? 120;
    const wait = Math.min(seconds, bound);
    let approximation: string | undefined;
    for (const node of this.killed.keys()) {
      if (seconds >= 300 - NODE_GRACE_SECONDS) {
        await this.client.patch('Node', undefined, node, {
          spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'kubelab.io/evict-now', effect: 'NoExecute' }] },
        });
        approximation = `waited ${wait} s instead of ${seconds} s; evicted pods of ${[...this.killed.keys()].join(', ')} at once with a NoExecute taint instead of waiting for the 300 s toleration`;
      }
    }
    await this.sleep(wait * 1000);
    if (!approximation && wait < seconds) approximation = `waited ${wait} s of the ${seconds} s asked (bound: --max-wait ${bound} s)`;
    return { summary: `waited ${wait} s`, approximation };
  }

  /** kind's ingress guide publishes 80/443 through the control-plane node (hostPort), so that is where the ingress is reached. */
  async ingressAddress(): Promise<string | undefined> {
    const nodes = await this.client.list('Node');
    const cp = nodes.find((n) => n.metadata.labels?.['ingress-ready'] === 'true') ?? nodes.find((n) => 'node-role.kubernetes.io/control-plane' in (n.metadata.labels ?? {}));
    return cp?.status?.addresses?.find((a: any) => a.type === 'InternalIP')?.address;
  }

  async views(namespace?: string): Promise<string> {
    const lines: string[] = [];
    const nss = namespace ? [namespace] : [...this.namespaces];
    lines.push('NODES', ...(await this.client.list('Node')).map((n) => `${n.metadata.name}\t${n.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True' ? 'Ready' : 'NotReady'}`));
    for (const n of nss) {
      lines.push('', `PODS (namespace ${n})`);
      for (const p of await this.client.list('Pod', this.ns.real(n))) lines.push(`${p.metadata.name}\t${p.status?.phase}\t${p.status?.podIP ?? '<none>'}\t${p.spec?.nodeName ?? '<none>'}`);
      lines.push('', `SERVICES (namespace ${n})`);
      for (const s of await this.client.list('Service', this.ns.real(n))) lines.push(`${s.metadata.name}\t${s.spec?.type}\t${s.spec?.clusterIP}\t${s.status?.loadBalancer?.ingress?.[0]?.ip ?? '<none>'}`);
    }
    return lines.join('\n');
  }

  async stop(): Promise<void> {
    this.unregister?.();
    this.unregister = undefined;
    if (!this.client) return;
    for (const node of this.killed.keys()) await this.docker(['start', node]).catch(() => undefined);
    for (const logical of this.namespaces) await this.client.delete('Namespace', undefined, this.ns.real(logical)).catch(() => undefined);
    if (this.created && !this.opts.keepCluster) {
      await this.runner.run('kind', ['delete', 'cluster', '--name', this.clusterName], { timeoutMs: 180_000 });
    }
  }

  private async docker(args: string[]): Promise<void> {
    const r = await this.runner.run('docker', args, { timeoutMs: 60_000 });
    if (r.exitCode !== 0) throw new Error(`docker ${args.join(' ')} failed: ${r.stderr.trim()}`);
  }

  /** Poll every 2 s until `done` or `seconds` of real time pass. */
  private async poll(seconds: number, done: () => Promise<boolean>): Promise<boolean> {
    const until = this.now() + seconds * 1000;
    for (;;) {
      if (await done()) return true;
      if (this.now() >= until) return false;
      await this.sleep(2000);
    }
  }
}

async function defaultFetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not download ${url}: HTTP ${res.status}`);
  return res.text();
}
