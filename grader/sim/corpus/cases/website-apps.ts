/**
 * kubernetes/website content/en/examples/application/: what real kind (1.31, default
 * StorageClass `standard` = rancher.io/local-path, WaitForFirstConsumer) shows for each group.
 */
import type { CorpusCase } from '../expectation.ts';
import { POOL, PLAIN, WEBSITE, WITH_POOL, secret } from './fixtures.ts';
import { containerOf, nodesOf, orderedReady, stsPods } from './checks.ts';

const app = (f: string) => `${WEBSITE}/application/${f}`;

const WORDPRESS = [app('wordpress/mysql-deployment.yaml'), app('wordpress/wordpress-deployment.yaml')];
const GUESTBOOK = ['frontend-deployment', 'frontend-service', 'redis-follower-deployment', 'redis-follower-service', 'redis-leader-deployment', 'redis-leader-service'].map((f) => app(`guestbook/${f}.yaml`));
const CANARY = ['app-service', 'app-v1-deployment', 'app-v2-deployment'].map((f) => app(`canary/${f}.yaml`));
const MYSQL = ['mysql-configmap', 'mysql-services', 'mysql-statefulset'].map((f) => app(`mysql/${f}.yaml`));
const CASSANDRA = [app('cassandra/cassandra-service.yaml'), app('cassandra/cassandra-statefulset.yaml')];

/** Why both cassandra groups stay Pending on kind (and the INDEX's "provisioned" does not hold). */
export const FAST_CLASS_NOTE =
  'StorageClass `fast` names provisioner k8s.io/minikube-hostpath, which does not run on kind: its PVCs stay Pending ' +
  '(volumeBindingMode Immediate → the scheduler reports "pod has unbound immediate PersistentVolumeClaims"), cassandra-0 stays ' +
  'Pending, and OrderedReady never creates cassandra-1/2. The seed name therefore does not resolve (NXDOMAIN).';

export const websiteAppCases: CorpusCase[] = [
  {
    group: 'wordpress',
    title: 'no Secret mysql-pass: PVCs bind through kind\'s default class, containers fail with CreateContainerConfigError',
    cluster: PLAIN,
    steps: [
      {
        files: WORDPRESS,
        expect: {
          headless: ['wordpress-mysql'],
          clusterIP: ['wordpress'],
          nodePorts: ['wordpress'],
          externalIP: { wordpress: 'pending' },
          pvcs: { 'mysql-pv-claim': { phase: 'Bound', storageClass: 'standard' }, 'wp-pv-claim': { phase: 'Bound', storageClass: 'standard' } },
          pods: [
            { selector: { app: 'wordpress', tier: 'mysql' }, count: 1, status: 'CreateContainerConfigError' },
            { selector: { 'app.kubernetes.io/name': 'wordpress', tier: 'frontend' }, count: 1, status: 'CreateContainerConfigError' },
          ],
          endpoints: { 'wordpress-mysql': 0, wordpress: 0 },
          // Headless with no ready endpoint: NXDOMAIN (kubernetes/dns#245); the ClusterIP Service still answers.
          dns: [{ name: 'wordpress-mysql', answer: 'NXDOMAIN' }, { name: 'wordpress', answer: { clusterIPOf: 'wordpress' } }],
          http: [{ url: 'http://wordpress/', expect: { error: 'connection refused' } }],
        },
      },
    ],
  },
  {
    group: 'wordpress',
    title: 'with Secret mysql-pass (as the tutorial creates it) and a LoadBalancer pool: everything runs',
    cluster: WITH_POOL,
    steps: [
      {
        objects: [secret('mysql-pass', { password: 'kubelab-pass' })],
        files: WORDPRESS,
        expect: {
          pods: [
            { selector: { app: 'wordpress', tier: 'mysql' }, count: 1, status: 'Running' },
            { selector: { 'app.kubernetes.io/name': 'wordpress', tier: 'frontend' }, count: 1, status: 'Running' },
          ],
          endpoints: { 'wordpress-mysql': 1, wordpress: 1 },
          externalIP: { wordpress: POOL },
          dns: [{ name: 'wordpress-mysql', answer: { readyPodsOf: 'wordpress-mysql' } }],
          tcp: [{ host: 'wordpress-mysql', port: 3306, expect: { servedBy: 'wordpress-mysql' } }],
          http: [
            { url: 'http://wordpress/', expect: { servedBy: 'wordpress', status: 302 } },
            { from: 'external', url: 'http://{lbIP:wordpress}/', expect: { servedBy: 'wordpress', status: 302 } },
          ],
        },
      },
    ],
    note: 'A fresh WordPress answers / with 302 to /wp-admin/install.php.',
  },
  {
    group: 'guestbook, website versions',
    title: 'frontend Service selects app.kubernetes.io/name but pods carry app: 0 endpoints, not "fixed"',
    cluster: PLAIN,
    steps: [
      {
        files: GUESTBOOK,
        expect: {
          endpoints: { 'redis-leader': 1, 'redis-follower': 2, frontend: 0 },
          pods: [
            { selector: { app: 'guestbook', tier: 'frontend' }, count: 3, status: 'Running' },
            { selector: { app: 'redis', role: 'follower' }, count: 2, status: 'Running' },
          ],
          dns: [{ name: 'frontend', answer: { clusterIPOf: 'frontend' } }, { name: 'redis-leader', answer: { clusterIPOf: 'redis-leader' } }],
          // kube-proxy REJECTs a Service without endpoints: refused at once (Trap 12).
          http: [{ url: 'http://frontend/', expect: { error: 'connection refused' } }],
          tcp: [
            { host: 'redis-leader', port: 6379, expect: { servedBy: 'redis-leader' } },
            { host: 'redis-follower', port: 6379, expect: { servedBy: 'redis-follower' } },
          ],
        },
      },
    ],
  },
  {
    group: 'canary',
    title: '3 stable + 1 canary pods behind one ClusterIP, random split',
    cluster: PLAIN,
    steps: [
      {
        files: CANARY,
        expect: {
          endpoints: { 'canary-demo-service': 4 },
          endpointPorts: { 'canary-demo-service': [8080] },
          http: [{ url: 'http://canary-demo-service/', times: 40, expect: { servedBy: 'canary-demo-service', split: { label: 'track', values: ['stable', 'canary'] } } }],
          custom: (c) => {
            // About 75/25: with iptables' random choice, 200 requests put the canary share well inside 10–40 %.
            let canary = 0;
            for (let i = 0; i < 200; i++) {
              const r = c.net.http({ from: { kind: 'pod', namespace: 'default' }, url: 'http://canary-demo-service/' });
              const by = r.ok ? r.servedBy : undefined;
              if (by && c.ctx.store.get('Pod', by.namespace, by.pod)?.metadata.labels?.track === 'canary') canary++;
            }
            return canary >= 20 && canary <= 80 ? [] : [`canary share ${canary}/200, expected about 25 %`];
          },
        },
      },
    ],
  },
  {
    group: 'mongodb',
    title: 'KYAML Deployment and Service: one ClusterIP, 1 endpoint on 27017',
    cluster: PLAIN,
    steps: [
      {
        files: [app('mongodb/mongo-deployment.yaml'), app('mongodb/mongo-service.yaml')],
        expect: {
          endpoints: { mongo: 1 },
          endpointPorts: { mongo: [27017] },
          dns: [{ name: 'mongo.default.svc.cluster.local', answer: { clusterIPOf: 'mongo' } }],
          tcp: [{ host: 'mongo', port: 27017, expect: { servedBy: 'mongo' } }],
          custom: (c) => {
            const args = containerOf(c, 'Deployment', 'mongo')[0]?.args;
            return JSON.stringify(args) === '["--bind_ip","0.0.0.0"]' ? [] : [`mongo args ${JSON.stringify(args)}`];
          },
        },
      },
    ],
  },
  {
    group: 'mysql replicated StatefulSet',
    title: 'mysql-0..2 in order, PVCs data-mysql-N, per-pod DNS, headless and read Services',
    cluster: PLAIN,
    steps: [
      {
        files: MYSQL,
        rollout: 900,
        expect: {
          pods: [{ names: ['mysql-0', 'mysql-1', 'mysql-2'], status: 'Running' }],
          pvcs: { 'data-mysql-0': { phase: 'Bound', storageClass: 'standard' }, 'data-mysql-1': { phase: 'Bound' }, 'data-mysql-2': { phase: 'Bound' } },
          headless: ['mysql'],
          clusterIP: ['mysql-read'],
          endpoints: { mysql: 3, 'mysql-read': 3 },
          dns: [
            { name: 'mysql-0.mysql.default.svc.cluster.local', answer: { podIP: 'default/mysql-0' } },
            { name: 'mysql-2.mysql', answer: { podIP: 'default/mysql-2' } },
            { name: 'mysql', answer: { readyPodsOf: 'mysql' } },
            { name: 'mysql-read', answer: { clusterIPOf: 'mysql-read' } },
          ],
          tcp: [{ host: 'mysql-read', port: 3306, expect: { servedBy: 'mysql-read' } }],
          custom: (c) => {
            const out = orderedReady('mysql', 3)(c);
            // The bash block scalar is kept verbatim, backslash continuations included.
            const init = c.ctx.store.get('StatefulSet', 'default', 'mysql')?.spec.template.spec.initContainers?.[0]?.command?.[2] ?? '';
            if (!init.includes('[[ `hostname` =~ -([0-9]+)$ ]] || exit 1') || !init.includes('ordinal=${BASH_REMATCH[1]}')) out.push('init-mysql script not kept verbatim');
            return out;
          },
        },
      },
    ],
  },
  {
    group: 'web StatefulSet',
    title: 'web-0, web-1, PVCs www-web-N, web-0.nginx resolves',
    cluster: PLAIN,
    steps: [
      {
        files: [app('web/web.yaml')],
        expect: {
          pods: [{ names: ['web-0', 'web-1'], status: 'Running' }],
          pvcs: { 'www-web-0': { phase: 'Bound', storageClass: 'standard' }, 'www-web-1': { phase: 'Bound', storageClass: 'standard' } },
          headless: ['nginx'],
          endpoints: { nginx: 2 },
          dns: [
            { name: 'web-0.nginx.default.svc.cluster.local', answer: { podIP: 'default/web-0' } },
            { name: 'web-1.nginx', answer: { podIP: 'default/web-1' } },
            { name: 'nginx', answer: { readyPodsOf: 'nginx' } },
          ],
          // The fresh PVC over /usr/share/nginx/html has no index.html and autoindex is off: nginx answers 403.
          http: [{ url: 'http://web-0.nginx/', expect: { servedByLabels: { app: 'nginx' }, status: 403 } }],
          custom: orderedReady('web', 2),
        },
      },
    ],
  },
  {
    group: 'cassandra, website version',
    title: 'StorageClass fast has no provisioner on kind: PVC and cassandra-0 stay Pending',
    cluster: PLAIN,
    note: FAST_CLASS_NOTE,
    steps: [
      {
        files: CASSANDRA,
        expect: {
          headless: ['cassandra'],
          exists: ['StorageClass/fast'],
          pvcs: { 'cassandra-data-cassandra-0': { phase: 'Pending', storageClass: 'fast' } },
          pods: [{ names: ['cassandra-0'], status: 'Pending' }],
          absent: ['Pod/cassandra-1', 'Pod/cassandra-2', 'PersistentVolumeClaim/cassandra-data-cassandra-1'],
          events: [{ object: 'Pod/cassandra-0', reason: 'FailedScheduling', message: 'pod has unbound immediate PersistentVolumeClaims' }],
          endpoints: { cassandra: 0 },
          dns: [{ name: 'cassandra-0.cassandra.default.svc.cluster.local', answer: 'NXDOMAIN' }],
          custom: (c) => (stsPods(c, 'cassandra').join() === 'cassandra-0' ? [] : [`cassandra pods ${stsPods(c, 'cassandra').join()}, expected only cassandra-0`]),
        },
      },
    ],
  },
  {
    group: 'zookeeper',
    title: 'zk-0..2 in order, PVCs datadir-zk-N, PDB allows 1 disruption, anti-affinity matches nothing',
    cluster: PLAIN,
    steps: [
      {
        files: [app('zookeeper/zookeeper.yaml')],
        rollout: 900,
        expect: {
          pods: [{ names: ['zk-0', 'zk-1', 'zk-2'], status: 'Running' }],
          pvcs: { 'datadir-zk-0': { phase: 'Bound' }, 'datadir-zk-1': { phase: 'Bound' }, 'datadir-zk-2': { phase: 'Bound' } },
          endpoints: { 'zk-hs': 3, 'zk-cs': 3 },
          dns: [{ name: 'zk-0.zk-hs.default.svc.cluster.local', answer: { podIP: 'default/zk-0' } }, { name: 'zk-cs', answer: { clusterIPOf: 'zk-cs' } }],
          tcp: [{ host: 'zk-cs', port: 2181, expect: { servedBy: 'zk-cs' } }],
          custom: (c) => {
            const out = orderedReady('zk', 3)(c);
            const cmd = containerOf(c, 'StatefulSet', 'zk')[0]?.command?.[2] ?? '';
            if (!cmd.startsWith('start-zookeeper --servers=3 --data_dir=/var/lib/zookeeper/data --data_log_dir=') || /\n| {2}/.test(cmd) || !cmd.endsWith('--log_level=INFO')) {
              out.push(`zk command not folded to one line: ${JSON.stringify(cmd.slice(0, 80))}`);
            }
            const pdb = c.ctx.store.get('PodDisruptionBudget', 'default', 'zk-pdb');
            // disruption controller: currentHealthy 3, desiredHealthy 2 (maxUnavailable 1) → 1 allowed.
            if (pdb?.status?.disruptionsAllowed !== 1 || pdb?.status?.currentHealthy !== 3) {
              out.push(`PDB zk-pdb status ${JSON.stringify(pdb?.status ?? null)}, expected currentHealthy 3 and disruptionsAllowed 1`);
            }
            if (nodesOf(c, ['zk-0', 'zk-1', 'zk-2']).some((n) => !n)) out.push('a zk pod is unscheduled although the anti-affinity term matches no pod');
            return out;
          },
        },
      },
    ],
  },
  {
    group: 'nginx-app',
    title: 'LoadBalancer + Deployment in one KYAML file: ClusterIP, NodePort, 3 endpoints, EXTERNAL-IP pending',
    cluster: PLAIN,
    steps: [
      {
        files: [app('nginx-app.yaml')],
        expect: {
          clusterIP: ['my-nginx-svc'],
          nodePorts: ['my-nginx-svc'],
          externalIP: { 'my-nginx-svc': 'pending' },
          endpoints: { 'my-nginx-svc': 3 },
          http: [
            { url: 'http://my-nginx-svc/', expect: { servedBy: 'my-nginx-svc', bodyIncludes: 'Welcome to nginx!' } },
            { from: 'external', url: 'http://{nodeIP}:{nodePort:my-nginx-svc}/', expect: { servedBy: 'my-nginx-svc' } },
          ],
        },
      },
    ],
  },
  {
    group: 'nginx-app',
    title: 'with a LoadBalancer pool: EXTERNAL-IP assigned and reachable from outside',
    cluster: WITH_POOL,
    steps: [
      {
        files: [app('nginx-app.yaml')],
        expect: {
          externalIP: { 'my-nginx-svc': POOL },
          http: [{ from: 'external', url: 'http://{lbIP:my-nginx-svc}/', expect: { servedBy: 'my-nginx-svc' } }],
        },
      },
    ],
  },
  {
    group: 'deployment',
    title: 'bare Deployment with trailing comments: 2 nginx:1.15 pods, no Service',
    cluster: PLAIN,
    steps: [
      {
        files: [app('deployment.yaml')],
        expect: {
          pods: [{ selector: { app: 'nginx' }, count: 2, status: 'Running' }],
          custom: (c) => {
            const out: string[] = [];
            const svcs = c.ctx.store.list('Service', 'default').map((s) => s.metadata.name);
            if (svcs.join() !== 'kubernetes') out.push(`Services in default: ${svcs.join()}, expected only kubernetes`);
            const d = c.ctx.store.get('Deployment', 'default', 'nginx-deployment');
            if (d?.spec.replicas !== 2 || d?.apiVersion !== 'apps/v1') out.push(`comments leaked into values: replicas ${d?.spec.replicas}, apiVersion ${d?.apiVersion}`);
            return out;
          },
        },
      },
    ],
  },
];
