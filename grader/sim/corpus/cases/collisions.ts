/**
 * INDEX "Corpus-wide notes": the same names across groups in one namespace. Re-applying a
 * Deployment or StatefulSet with another selector fails (apps/v1 selectors are immutable),
 * and a Service cannot turn headless once it has a ClusterIP.
 */
import type { CorpusCase } from '../expectation.ts';
import { EXAMPLES, INGRESS_NGINX, PLAIN, WEBSITE } from './fixtures.ts';

const STS_FORBIDDEN = "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy'";
const TO_HEADLESS = 'spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set';
const immutableSelector = (kind: string, name: string, labels: string) =>
  `The ${kind} "${name}" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{${labels}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable`;

export const collisionCases: CorpusCase[] = [
  {
    group: 'Corpus-wide notes',
    title: 'Deployment redis-master: examples guestbook, then guestbook-go (selector without tier) → immutable selector',
    cluster: PLAIN,
    steps: [
      { files: [`${EXAMPLES}/web/guestbook/redis-master-deployment.yaml`] },
      {
        files: [`${EXAMPLES}/web/guestbook-go/redis-master-controller.yaml`],
        fails: { 'Deployment/redis-master': immutableSelector('Deployment', 'redis-master', '"app":"redis", "role":"master"') },
      },
    ],
  },
  {
    group: 'Corpus-wide notes',
    title: 'Deployment frontend: service/access then guestbook → immutable selector',
    cluster: PLAIN,
    steps: [
      { files: [`${WEBSITE}/service/access/frontend-deployment.yaml`] },
      { files: [`${EXAMPLES}/web/guestbook/frontend-deployment.yaml`], fails: { 'Deployment/frontend': immutableSelector('Deployment', 'frontend', '"app":"guestbook", "tier":"frontend"') } },
    ],
  },
  {
    group: 'Corpus-wide notes',
    title: 'Deployment my-nginx: nginx-app (app: nginx) then run-my-nginx (run: my-nginx) → immutable selector',
    cluster: PLAIN,
    steps: [
      { files: [`${WEBSITE}/application/nginx-app.yaml`] },
      { files: [`${WEBSITE}/service/networking/run-my-nginx.yaml`], fails: { 'Deployment/my-nginx': immutableSelector('Deployment', 'my-nginx', '"run":"my-nginx"') } },
    ],
  },
  {
    group: 'Corpus-wide notes',
    title: 'StatefulSet cassandra: website then examples → spec update forbidden; identical StorageClass fast unchanged',
    cluster: PLAIN,
    steps: [
      { files: [`${WEBSITE}/application/cassandra/cassandra-service.yaml`, `${WEBSITE}/application/cassandra/cassandra-statefulset.yaml`] },
      {
        files: [`${EXAMPLES}/databases/cassandra/cassandra-service.yaml`, `${EXAMPLES}/databases/cassandra/cassandra-statefulset.yaml`],
        fails: { 'StatefulSet/cassandra': `The StatefulSet "cassandra" is invalid: ${STS_FORBIDDEN}` },
        actions: { 'Service/cassandra': 'configured', 'StorageClass/fast': 'unchanged' },
      },
    ],
  },
  {
    group: 'Corpus-wide notes',
    title: 'Service mysql: examples ClusterIP, then website headless → rejected (clusterIPs may not change)',
    cluster: PLAIN,
    steps: [
      { files: [`${EXAMPLES}/databases/mysql-cinder-pd/mysql-service.yaml`], expect: { clusterIP: ['mysql'] } },
      { files: [`${WEBSITE}/application/mysql/mysql-services.yaml`], fails: { 'Service/mysql': `The Service "mysql" is invalid: ${TO_HEADLESS}` }, expect: { clusterIP: ['mysql'] } },
    ],
  },
  {
    group: 'Corpus-wide notes',
    title: 'Service mysql the other way: headless, then a manifest without clusterIP → accepted and still headless',
    cluster: PLAIN,
    note:
      'The INDEX says a change "to or from None" is rejected. From None it is not: kubectl apply\'s patch only drops clusterIP, and the ' +
      'service REST storage (pkg/registry/core/service/storage/storage.go patchAllocatedValues) copies the old value back, so the ' +
      'update succeeds and the Service stays headless.',
    steps: [
      { files: [`${WEBSITE}/application/mysql/mysql-services.yaml`], expect: { headless: ['mysql'] } },
      {
        files: [`${EXAMPLES}/databases/mysql-cinder-pd/mysql-service.yaml`],
        actions: { 'Service/mysql': 'configured' },
        expect: {
          headless: ['mysql'],
          custom: (c) => {
            const sel = c.ctx.store.get('Service', 'default', 'mysql')?.spec.selector;
            return JSON.stringify(sel) === '{"name":"mysql"}' ? [] : [`selector ${JSON.stringify(sel)}, expected {"name":"mysql"} after the three-way merge`];
          },
        },
      },
    ],
  },
  {
    group: 'Corpus-wide notes',
    title: 'Service nginx: multi-tls ClusterIP, then web.yaml headless → rejected; StatefulSet web still created',
    cluster: PLAIN,
    steps: [
      { files: [`${INGRESS_NGINX}/multi-tls/multi-tls.yaml`] },
      { files: [`${WEBSITE}/application/web/web.yaml`], fails: { 'Service/nginx': `The Service "nginx" is invalid: ${TO_HEADLESS}` }, actions: { 'StatefulSet/web': 'created' } },
    ],
  },
  {
    group: 'Corpus-wide notes',
    title: 'selector overlap: app: nginx pods of web.yaml, nginx-app.yaml and deployment.yaml all back nginx and my-nginx-svc',
    cluster: PLAIN,
    steps: [
      {
        files: [`${WEBSITE}/application/web/web.yaml`, `${WEBSITE}/application/nginx-app.yaml`, `${WEBSITE}/application/deployment.yaml`],
        expect: {
          endpoints: { nginx: 7, 'my-nginx-svc': 7 },
          dns: [{ name: 'nginx', answer: { readyPodsOf: 'nginx' } }],
          custom: (c) => {
            // web-0/web-1 keep their per-pod names (hostname + subdomain nginx); Deployment pods get none.
            const withHost = c.ctx.store.list('EndpointSlice', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'nginx').flatMap((s: any) => s.endpoints ?? []).filter((e: any) => e.hostname).map((e: any) => e.hostname).sort();
            return withHost.join() === 'web-0,web-1' ? [] : [`endpoint hostnames ${withHost.join()}, expected web-0,web-1`];
          },
        },
      },
    ],
  },
];
