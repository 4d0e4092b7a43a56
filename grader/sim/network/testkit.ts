/**
 * Test support for the networking parts (not a test file itself): a ClusterContext over a
 * bare ObjectStore with a minimal ApiWriter, and builders for Nodes, Pods and Services, so
 * controllers and probes can be tested before (and independently of) the real apiserver and
 * kubelet. The fake writer does what the networking code relies on — generateName, uid,
 * creationTimestamp, status subresource — and nothing more.
 */
import { ObjectStore } from '../api/store.ts';
import type { KubeObject, Node, Pod, Service } from '../api/types.ts';
import { ControllerManager } from '../runtime/controller-manager.ts';
import { type ApiWriter, type ClusterContext, DEFAULT_CLUSTER_CONFIG, type ClusterConfig, EventRecorder } from '../runtime/context.ts';
import { VirtualClock } from '../../util/clock.ts';
import { Rng } from '../../util/rng.ts';
import { ApiError } from '../../errors.ts';

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class FakeApi implements ApiWriter {
  private uid = 0;
  constructor(
    private readonly store: ObjectStore,
    private readonly clock: VirtualClock,
    private readonly rng: Rng,
  ) {}
  create<T extends KubeObject>(obj: T): T {
    const o = structuredClone(obj);
    if (!o.metadata.name && o.metadata.generateName) o.metadata.name = o.metadata.generateName + this.rng.string(5, NAME_ALPHABET);
    if (this.store.get(o.kind, o.metadata.namespace, o.metadata.name)) {
      throw new ApiError('AlreadyExists', `${o.kind.toLowerCase()}s "${o.metadata.name}" already exists`, 409);
    }
    o.metadata.uid ??= `uid-${++this.uid}`;
    o.metadata.creationTimestamp ??= this.clock.iso();
    return this.store.put(o) as T;
  }
  update<T extends KubeObject>(obj: T): T {
    const cur = this.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name);
    if (!cur) throw new ApiError('NotFound', `${obj.kind.toLowerCase()}s "${obj.metadata.name}" not found`, 404);
    const o = structuredClone(obj);
    if (cur.status !== undefined) o.status = structuredClone(cur.status);
    return this.store.put(o) as T;
  }
  updateStatus<T extends KubeObject>(obj: T): T {
    const cur = this.store.get(obj.kind, obj.metadata.namespace, obj.metadata.name);
    if (!cur) throw new ApiError('NotFound', `${obj.kind.toLowerCase()}s "${obj.metadata.name}" not found`, 404);
    const o = structuredClone(cur);
    o.status = structuredClone(obj.status);
    return this.store.put(o) as T;
  }
  delete(kind: string, namespace: string | undefined, name: string): void {
    if (!this.store.remove(kind, namespace, name)) throw new ApiError('NotFound', `${kind.toLowerCase()}s "${name}" not found`, 404);
  }
}

export function fakeContext(config: Partial<ClusterConfig> = {}): ClusterContext {
  const cfg = { ...DEFAULT_CLUSTER_CONFIG, ...config };
  const store = new ObjectStore();
  const clock = new VirtualClock();
  const rng = new Rng(cfg.seed);
  const controllers = new ControllerManager(store, clock);
  const api = new FakeApi(store, clock, rng.fork('fake-api'));
  return { config: cfg, store, api, clock, rng, events: new EventRecorder(clock), controllers, warnings: [] };
}

export function makeNode(name: string, ip: string, opts: { ready?: boolean; labels?: Record<string, string>; podCIDR?: string } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(opts.labels ?? {}) } },
    spec: { podCIDR: opts.podCIDR },
    status: {
      addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'Unknown' : 'True' }],
      allocatable: {},
      capacity: {},
    },
  };
}

/** kind's default topology: a control plane and `workers` workers on 172.18.0.0/16. */
export function kindNodes(workers = 3): Node[] {
  const out = [makeNode('kind-control-plane', '172.18.0.2', { labels: { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' }, podCIDR: '10.244.0.0/24' })];
  for (let i = 1; i <= workers; i++) {
    const name = i === 1 ? 'kind-worker' : `kind-worker${i}`;
    out.push(makeNode(name, `172.18.0.${i + 2}`, { podCIDR: `10.244.${i}.0/24` }));
  }
  return out;
}

export interface PodOpts {
  namespace?: string;
  labels?: Record<string, string>;
  ip?: string;
  node?: string;
  ready?: boolean;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  image?: string;
  ports?: { name?: string; containerPort: number; protocol?: 'TCP' | 'UDP'; hostPort?: number }[];
  terminating?: boolean;
  hostname?: string;
  subdomain?: string;
  dnsPolicy?: Pod['spec']['dnsPolicy'];
  dnsConfig?: Pod['spec']['dnsConfig'];
}

export function makePod(name: string, o: PodOpts = {}): Pod {
  const ready = o.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `uid-pod-${name}`,
      labels: o.labels ?? {},
      ...(o.terminating ? { deletionTimestamp: '2024-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 } : {}),
    },
    spec: {
      containers: [{ name: 'app', image: o.image ?? 'nginx', ports: o.ports }],
      nodeName: o.node ?? 'kind-worker',
      hostname: o.hostname,
      subdomain: o.subdomain,
      dnsPolicy: o.dnsPolicy,
      dnsConfig: o.dnsConfig,
    },
    status: {
      phase: o.phase ?? 'Running',
      podIP: o.ip,
      podIPs: o.ip ? [{ ip: o.ip }] : undefined,
      hostIP: undefined,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'app', image: o.image ?? 'nginx', ready, restartCount: 0, state: { running: { startedAt: '2024-01-01T00:00:00Z' } } }],
    },
  };
}

export function makeService(name: string, spec: Service['spec'], o: { namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } = {}): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: o.namespace ?? 'default', uid: `uid-svc-${name}`, labels: o.labels, annotations: o.annotations },
    spec: { type: 'ClusterIP', sessionAffinity: 'None', ...spec, ports: spec.ports?.map((p) => ({ protocol: 'TCP' as const, targetPort: p.port, ...p })) },
  };
}

/** An EndpointSlice as the controller would write it, for tests that skip the controller. */
export function makeSlice(
  service: string,
  endpoints: { ip: string; node?: string; pod?: string; ready?: boolean; serving?: boolean; terminating?: boolean; hostname?: string }[],
  ports: { name?: string; port: number; protocol?: string }[],
  o: { namespace?: string; name?: string } = {},
): import('../api/types.ts').EndpointSlice {
  const ns = o.namespace ?? 'default';
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: o.name ?? `${service}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': service, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
    addressType: 'IPv4',
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.serving ?? e.ready ?? true, terminating: e.terminating ?? false },
      ...(e.hostname ? { hostname: e.hostname } : {}),
      nodeName: e.node ?? 'kind-worker',
      ...(e.pod ? { targetRef: { kind: 'Pod', namespace: ns, name: e.pod } } : {}),
    })),
  };
}
