/** kubernetes/examples: guestbook, guestbook-go, cassandra, mysql-cinder-pd, cluster-dns, nodejs-mongodb, minio. */
import type { CorpusCase } from '../expectation.ts';
import type { Pod } from '../../api/types.ts';
import { EXAMPLES, PLAIN, POOL, WITH_POOL } from './fixtures.ts';
import { containerOf, nodesOf, stsPods } from './checks.ts';
import { FAST_CLASS_NOTE } from './website-apps.ts';
import { podStatus } from '../harness.ts';

const ex = (f: string) => `${EXAMPLES}/${f}`;
const GUESTBOOK = ['frontend-deployment', 'frontend-service', 'redis-master-deployment', 'redis-master-service', 'redis-replica-deployment', 'redis-replica-service'].map((f) => ex(`web/guestbook/${f}.yaml`));
const GUESTBOOK_GO = ['guestbook-controller', 'guestbook-service', 'redis-master-controller', 'redis-master-service', 'redis-replica-controller', 'redis-replica-service'].map((f) => ex(`web/guestbook-go/${f}.yaml`));
const CLUSTER_DNS = (f: string) => ex(`_archived/cluster-dns/${f}.yaml`);
const MONGO = (f: string) => ex(`_archived/nodesjs-mongodb/${f}.yaml`);
const MINIO = (f: string) => ex(`_archived/storage/minio/${f}.yaml`);

const podsOf = (c: { ctx: { store: { list: (k: string, ns?: string) => unknown[] } } }, label: string, value: string, ns = 'default') =>
  (c.ctx.store.list('Pod', ns) as Pod[]).filter((p) => p.metadata.labels?.[label] === value && !p.metadata.deletionTimestamp);

export const exampleCases: CorpusCase[] = [
  {
    group: 'guestbook',
    title: 'split files: NodePort frontend with 3 endpoints, redis-master 1, redis-replica 2; all-in-one then rolls redis-replica',
    cluster: PLAIN,
    steps: [
      {
        files: GUESTBOOK,
        expect: {
          nodePorts: ['frontend'],
          endpoints: { frontend: 3, 'redis-master': 1, 'redis-replica': 2 },
          dns: [
            { name: 'redis-master', answer: { clusterIPOf: 'redis-master' } },
            { name: 'redis-replica', answer: { clusterIPOf: 'redis-replica' } },
          ],
          tcp: [
            { host: 'redis-master', port: 6379, expect: { servedBy: 'redis-master' } },
            { host: 'redis-replica', port: 6379, expect: { servedBy: 'redis-replica' } },
          ],
          http: [
            { url: 'http://frontend/', expect: { servedBy: 'frontend' } },
            { from: 'external', url: 'http://{nodeIP}:{nodePort:frontend}/', expect: { servedBy: 'frontend' } },
          ],
        },
      },
      {
        files: [ex('web/guestbook/all-in-one/guestbook-all-in-one.yaml')],
        actions: {
          'Service/redis-master': 'unchanged',
          'Deployment/redis-master': 'unchanged',
          'Service/redis-replica': 'unchanged',
          'Deployment/redis-replica': 'configured',
          'Service/frontend': 'unchanged',
          'Deployment/frontend': 'unchanged',
        },
        expect: {
          endpoints: { frontend: 3, 'redis-master': 1, 'redis-replica': 2 },
          custom: (c) => {
            const out: string[] = [];
            const names = podsOf(c, 'role', 'replica').map((p) => p.spec.containers[0]?.name);
            if (names.length !== 2 || names.some((n) => n !== 'replica')) out.push(`redis-replica pods' container names ${names.join(',')}, expected 2 × replica after the rollout`);
            const rs = c.ctx.store.list('ReplicaSet', 'default').filter((r) => r.metadata.name.startsWith('redis-replica-'));
            if (rs.length !== 2) out.push(`${rs.length} redis-replica ReplicaSets, expected 2 (old scaled to 0, new)`);
            return out;
          },
        },
      },
    ],
  },
  {
    group: 'guestbook-go',
    title: 'ReplicationControllers and a Deployment; named targetPorts resolve per pod',
    cluster: PLAIN,
    steps: [
      {
        files: GUESTBOOK_GO,
        expect: {
          endpoints: { guestbook: 3, 'redis-master': 1, 'redis-replica': 2 },
          endpointPorts: { guestbook: [3000], 'redis-master': [6379], 'redis-replica': [6379] },
          externalIP: { guestbook: 'pending' },
          http: [{ url: 'http://guestbook:3000/', expect: { servedBy: 'guestbook' } }],
          tcp: [{ host: 'redis-master', port: 6379, expect: { servedBy: 'redis-master' } }],
          custom: (c) => {
            const d = c.ctx.store.get('Deployment', 'default', 'redis-master');
            return d?.metadata.labels?.role === 'master' && d.spec.replicas === 1 ? [] : ['irregularly indented redis-master Deployment misread'];
          },
        },
      },
    ],
  },
  {
    group: 'cassandra, examples version',
    title: 'class only via the beta annotation; `fast` has no provisioner on kind: Pending',
    cluster: PLAIN,
    note: FAST_CLASS_NOTE,
    steps: [
      {
        files: [ex('databases/cassandra/cassandra-service.yaml'), ex('databases/cassandra/cassandra-statefulset.yaml')],
        expect: {
          headless: ['cassandra'],
          pvcs: { 'cassandra-data-cassandra-0': { phase: 'Pending', storageClass: 'fast' } },
          pods: [{ names: ['cassandra-0'], status: 'Pending' }],
          absent: ['Pod/cassandra-1'],
          endpoints: { cassandra: 0 },
          custom: (c) => {
            const out: string[] = [];
            const pvc = c.ctx.store.get('PersistentVolumeClaim', 'default', 'cassandra-data-cassandra-0');
            if (pvc?.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] !== 'fast') out.push('beta storage-class annotation not carried to the PVC');
            if (stsPods(c, 'cassandra').join() !== 'cassandra-0') out.push(`cassandra pods ${stsPods(c, 'cassandra').join()}, expected only cassandra-0`);
            const requests = containerOf(c, 'StatefulSet', 'cassandra')[0]?.resources?.requests;
            if (requests?.cpu !== '500m' || requests?.memory !== '1Gi') out.push(`11-space requests block misread: ${JSON.stringify(requests)}`);
            return out;
          },
        },
      },
    ],
  },
  {
    group: 'mysql-cinder-pd',
    title: 'in-tree cinder volume cannot attach on kind: ContainerCreating, Service without endpoints',
    cluster: PLAIN,
    steps: [
      {
        files: [ex('databases/mysql-cinder-pd/mysql.yaml'), ex('databases/mysql-cinder-pd/mysql-service.yaml')],
        expect: {
          pods: [{ names: ['mysql'], status: 'ContainerCreating' }],
          endpoints: { mysql: 0 },
          clusterIP: ['mysql'],
          custom: (c) => {
            const p = c.ctx.store.get('Pod', 'default', 'mysql') as Pod;
            const out: string[] = [];
            if (p.spec.containers[0]?.resources?.limits?.cpu !== '500m') out.push(`cpu limit ${p.spec.containers[0]?.resources?.limits?.cpu}, expected 500m (0.5 canonicalised)`);
            if (!p.spec.nodeName) out.push('pod not scheduled');
            // Volumes are set up before the sandbox: no pod IP yet.
            if (p.status?.podIP) out.push(`pod has IP ${p.status.podIP} although its volume never attached`);
            return out;
          },
        },
      },
    ],
  },
  {
    group: 'cluster-dns',
    title: 'backend applied into development: the FQDN resolves there from production; the short name does not',
    cluster: PLAIN,
    steps: [
      { files: [CLUSTER_DNS('namespace-dev'), CLUSTER_DNS('namespace-prod')], expect: { exists: ['Namespace/development', 'Namespace/production'] } },
      { files: [CLUSTER_DNS('dns-backend-rc'), CLUSTER_DNS('dns-backend-service')], namespace: 'development', expect: { endpoints: { 'development/dns-backend': 1 } } },
      {
        files: [CLUSTER_DNS('dns-frontend-pod')],
        namespace: 'production',
        expect: {
          dns: [
            { from: 'production', name: 'dns-backend.development.svc.cluster.local', answer: { clusterIPOf: 'development/dns-backend' } },
            { from: 'production', name: 'dns-backend', answer: 'NXDOMAIN' },
          ],
          http: [{ from: 'production', url: 'http://dns-backend.development.svc.cluster.local:8000/', expect: { servedBy: 'development/dns-backend' } }],
          // client.py prints the backend's answer and exits 0.
          pods: [{ ns: 'production', names: ['dns-frontend'], status: 'Completed' }],
        },
      },
    ],
  },
  {
    group: 'cluster-dns',
    title: 'everything applied into default only: the development FQDN does not resolve, the client errors',
    cluster: PLAIN,
    steps: [
      {
        files: ['namespace-dev', 'namespace-prod', 'dns-backend-rc', 'dns-backend-service', 'dns-frontend-pod'].map(CLUSTER_DNS),
        expect: {
          endpoints: { 'dns-backend': 1 },
          dns: [{ name: 'dns-backend.development.svc.cluster.local', answer: 'NXDOMAIN' }, { name: 'dns-backend', answer: { clusterIPOf: 'dns-backend' } }],
          // socket.gaierror is uncaught: exit 1 with restartPolicy Never → phase Failed, STATUS Error.
          pods: [{ names: ['dns-frontend'], status: 'Error' }],
        },
      },
    ],
  },
  {
    group: 'nodejs-mongodb',
    title: 'placeholder image <YOUR-CONTAINER>: accepted, pods InvalidImageName; mongo waits for its GCE PD',
    cluster: PLAIN,
    steps: [
      {
        files: [MONGO('mongo-controller'), MONGO('mongo-service'), MONGO('web-controller'), MONGO('web-service')],
        expect: {
          pods: [
            { selector: { name: 'web' }, count: 2, status: 'InvalidImageName' },
            { selector: { name: 'mongo' }, count: 1, status: 'ContainerCreating' },
          ],
          endpoints: { mongo: 0, web: 0 },
          externalIP: { web: 'pending' },
          custom: (c) => {
            const rc = c.ctx.store.get('ReplicationController', 'default', 'mongo-controller');
            return JSON.stringify(rc?.spec.selector) === '{"name":"mongo"}' ? [] : [`mongo-controller selector ${JSON.stringify(rc?.spec.selector)}, expected defaulted {"name":"mongo"}`];
          },
        },
      },
    ],
  },
  {
    group: 'nodejs-mongodb',
    title: 'runnable demo first, then web-controller.yaml: an RC does not roll its pods; a replacement gets the bad image',
    cluster: PLAIN,
    steps: [
      { files: [MONGO('web-controller-demo'), MONGO('web-service')], expect: { pods: [{ selector: { name: 'web' }, count: 2, status: 'Running' }], endpoints: { web: 2 }, endpointPorts: { web: [3000] } } },
      {
        files: [MONGO('web-controller')],
        actions: { 'ReplicationController/web-controller': 'configured' },
        expect: {
          pods: [{ selector: { name: 'web' }, count: 2, status: 'Running' }],
          custom: (c) => {
            const before = podsOf(c, 'name', 'web').map((p) => p.metadata.name);
            c.act({ type: 'deletePod', namespace: 'default', name: before[0]! });
            c.advance(60);
            const now = podsOf(c, 'name', 'web');
            const fresh = now.filter((p) => !before.includes(p.metadata.name));
            if (fresh.length !== 1) return [`${fresh.length} replacement pods, expected 1`];
            const s = podStatus(c, fresh[0]!);
            return s === 'InvalidImageName' ? [] : [`replacement pod ${fresh[0]!.metadata.name}: ${s}, expected InvalidImageName`];
          },
        },
      },
    ],
  },
  {
    group: 'minio',
    title: 'standalone: PVC in class standard binds, hostPort 9000 pod runs, LoadBalancer pending',
    cluster: PLAIN,
    steps: [
      {
        files: [MINIO('minio-standalone-pvc'), MINIO('minio-standalone-deployment'), MINIO('minio-standalone-service')],
        expect: {
          pvcs: { 'minio-pv-claim': { phase: 'Bound', storageClass: 'standard' } },
          pods: [{ selector: { app: 'minio' }, count: 1, status: 'Running' }],
          endpoints: { 'minio-service': 1 },
          externalIP: { 'minio-service': 'pending' },
          tcp: [{ host: 'minio-service', port: 9000, expect: { servedBy: 'minio-service' } }],
        },
      },
    ],
  },
  {
    group: 'minio',
    title: 'standalone with a LoadBalancer pool: EXTERNAL-IP assigned',
    cluster: WITH_POOL,
    steps: [{ files: [MINIO('minio-standalone-pvc'), MINIO('minio-standalone-deployment'), MINIO('minio-standalone-service')], expect: { externalIP: { 'minio-service': POOL } } }],
  },
  {
    group: 'minio',
    title: 'distributed: hostPort 9000 fits one pod per node; 3 schedulable workers → minio-3 Pending (FailedScheduling)',
    cluster: PLAIN,
    steps: [
      {
        files: [MINIO('minio-distributed-headless-service'), MINIO('minio-distributed-service'), MINIO('minio-distributed-statefulset')],
        expect: {
          pods: [{ names: ['minio-0', 'minio-1', 'minio-2'], status: 'Running' }, { names: ['minio-3'], status: 'Pending' }],
          pvcs: {
            'data-minio-0': { phase: 'Bound', storageClass: 'standard' },
            'data-minio-2': { phase: 'Bound' },
            // local-path is WaitForFirstConsumer: the claim of the unschedulable pod is never bound.
            'data-minio-3': { phase: 'Pending', storageClass: 'standard' },
          },
          events: [{ object: 'Pod/minio-3', reason: 'FailedScheduling', message: "didn't have free ports for the requested pod ports" }],
          endpoints: { minio: 3, 'minio-service': 3 },
          dns: [{ name: 'minio', answer: { readyPodsOf: 'minio' } }, { name: 'minio-1.minio.default.svc.cluster.local', answer: { podIP: 'default/minio-1' } }],
          custom: (c) => {
            const nodes = nodesOf(c, ['minio-0', 'minio-1', 'minio-2']);
            return new Set(nodes).size === 3 && !nodes.includes(undefined) ? [] : [`minio-0..2 on nodes ${nodes.join(',')}, expected 3 different workers`];
          },
        },
      },
    ],
  },
];
