import { describe, expect, it } from 'vitest';
import { newApiServer, y } from '../api/test-helpers.ts';
import type { ClusterContext } from '../runtime/context.ts';
import { ControllerManager } from '../runtime/controller-manager.ts';
import { humanDuration, table } from './format.ts';
import { describe as describeObject, events, getEndpointSlices, getIngresses, getNodes, getPods, getServices, renderViews } from './index.ts';

function ctxWith() {
  const s = newApiServer();
  const ctx: ClusterContext = {
    config: s.config,
    store: s.store,
    api: s.api,
    clock: s.clock,
    rng: s.api.deps.rng,
    events: s.events,
    controllers: new ControllerManager(s.store, s.clock),
    warnings: s.warnings,
  };
  return { ...s, ctx };
}

describe('format', () => {
  it.each([
    [0, '0s'],
    [119_000, '119s'],
    [120_000, '2m'],
    [312_000, '5m12s'],
    [600_000, '10m'],
    [3 * 3600_000, '3h'],
    [3 * 3600_000 + 5 * 60_000, '3h5m'],
    [30 * 3600_000, '30h'],
    [50 * 3600_000, '2d2h'],
    [20 * 86400_000, '20d'],
  ])('humanDuration(%i) = %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
  it('pads every column but the last by three spaces, at least six wide', () => {
    expect(table(['NAME', 'AGE'], [['a', '5s'], ['longer-name', '10m']])).toBe('NAME          AGE\na             5s\nlonger-name   10m');
    expect(table(['A', 'B'], [['x', 'y']])).toBe('A     B\nx     y');
  });
});

describe('kubectl get', () => {
  it('prints pods with READY, STATUS, RESTARTS and AGE from the status the kubelet wrote', () => {
    const { api, ctx, clock, store } = ctxWith();
    const pod = (name: string) => api.create(y(`apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {nodeName: kind-worker, containers: [{name: a, image: nginx}, {name: b, image: busybox}]}\n`));
    const status = (name: string, st: object) => api.updateStatus({ ...store.get('Pod', 'default', name)!, status: st });
    pod('running');
    pod('crash');
    pod('creating');
    pod('done');
    pod('pending');
    const running = (n: string) => ({ name: n, image: 'x', ready: true, restartCount: 0, state: { running: { startedAt: clock.iso() } } });
    status('running', { phase: 'Running', podIP: '10.244.1.5', containerStatuses: [running('a'), running('b')] });
    status('crash', {
      phase: 'Running',
      containerStatuses: [running('a'), { name: 'b', image: 'x', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    });
    status('creating', { phase: 'Pending', containerStatuses: [{ name: 'a', image: 'x', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] });
    status('done', {
      phase: 'Succeeded',
      containerStatuses: [
        { name: 'a', image: 'x', ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } },
        { name: 'b', image: 'x', ready: false, restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } },
      ],
    });
    clock.step(clock.now() + 312_000);
    api.delete('Pod', 'default', 'running');
    expect(getPods(ctx, 'default', { wide: true })).toBe(
      [
        'NAME       READY   STATUS              RESTARTS   AGE     IP           NODE          NOMINATED NODE   READINESS GATES',
        'crash      1/2     CrashLoopBackOff    4          5m12s   <none>       kind-worker   <none>           <none>',
        'creating   0/2     ContainerCreating   0          5m12s   <none>       kind-worker   <none>           <none>',
        'done       0/2     Completed           0          5m12s   <none>       kind-worker   <none>           <none>',
        'pending    0/2     Pending             0          5m12s   <none>       kind-worker   <none>           <none>',
        'running    2/2     Terminating         0          5m12s   10.244.1.5   kind-worker   <none>           <none>',
      ].join('\n'),
    );
  });
  it('prints Services with nodePorts, <none> and <pending>', () => {
    const { api, ctx } = ctxWith();
    api.apply(y('apiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80, nodePort: 31234}]}\n'));
    api.apply(y('apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec: {clusterIP: None, selector: {app: db}, ports: [{port: 3306}]}\n'));
    api.apply(y('apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: example.com}\n'));
    const lines = getServices(ctx, 'default', { wide: true }).split('\n');
    const kubeIP = ctx.store.get('Service', 'default', 'kubernetes')!.spec.clusterIP;
    const lbIP = ctx.store.get('Service', 'default', 'lb')!.spec.clusterIP;
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      ['db', 'ClusterIP', 'None', '<none>', '3306/TCP', '0s', 'app=db'],
      ['ext', 'ExternalName', '<none>', 'example.com', '<none>', '0s', '<none>'],
      ['kubernetes', 'ClusterIP', kubeIP, '<none>', '443/TCP', '0s', '<none>'],
      ['lb', 'LoadBalancer', lbIP, '<pending>', '80:31234/TCP', '0s', 'app=web'],
    ]);
  });
  it('prints EndpointSlices, Ingresses, Nodes and empty lists as kubectl does', () => {
    const { api, ctx } = ctxWith();
    expect(getIngresses(ctx, 'default')).toBe('No resources found in default namespace.');
    expect(getNodes(ctx)).toBe('No resources found');
    api.create(
      y(`apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-abcde, namespace: default, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: "", port: 8080, protocol: TCP}]
endpoints:
- {addresses: [10.244.1.2], conditions: {ready: true}}
- {addresses: [10.244.1.3], conditions: {ready: true}}
- {addresses: [10.244.2.2], conditions: {ready: true}}
- {addresses: [10.244.2.3], conditions: {ready: false}}
`),
    );
    expect(getEndpointSlices(ctx, 'default').split('\n')[1]!.split(/\s{2,}/)).toEqual(['web-abcde', 'IPv4', '8080', '10.244.1.2,10.244.1.3,10.244.2.2 + 1 more...', '0s']);
    api.apply(
      y(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: i}
spec:
  ingressClassName: nginx
  tls: [{hosts: [foo.bar.com], secretName: s}]
  rules:
  - host: foo.bar.com
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
`),
    );
    expect(getIngresses(ctx, 'default').split('\n')[1]!.split(/\s{2,}/)).toEqual(['i', 'nginx', 'foo.bar.com', '80, 443', '0s']);
    api.create(
      y(`apiVersion: v1
kind: Node
metadata: {name: kind-control-plane, labels: {node-role.kubernetes.io/control-plane: ""}}
status:
  conditions: [{type: Ready, status: "True"}]
  addresses: [{type: InternalIP, address: 172.18.0.2}]
  nodeInfo: {kubeletVersion: v1.31.0}
`),
    );
    expect(getNodes(ctx).split('\n')[1]!.split(/\s{2,}/)).toEqual(['kind-control-plane', 'Ready', 'control-plane', '0s', 'v1.31.0']);
  });
  it('adds a NAMESPACE column for all namespaces', () => {
    const { ctx } = ctxWith();
    expect(getServices(ctx, undefined).split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+TYPE/);
  });
});

describe('describe, events and the combined view', () => {
  it('describes a Service with its endpoints and events', () => {
    const { api, ctx, events: rec, store } = ctxWith();
    api.apply(y('apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}\n'));
    rec.record('service-controller', store.get('Service', 'default', 'web')!, 'Normal', 'Synced', 'synced');
    const out = describeObject(ctx, 'Service', 'default', 'web');
    expect(out).toContain('Selector:                 app=web');
    expect(out).toContain('TargetPort:               8080/TCP');
    expect(out).toContain('Port:                     <unset>  80/TCP');
    expect(out).toMatch(/Events:\n  Type\s+Reason\s+Age\s+From\s+Message\n  ----/);
    expect(events(ctx, 'default')).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n0s\s+Normal\s+Synced\s+service\/web\s+synced$/);
  });
  it('renders the combined views under the commands that produce them', () => {
    const { ctx } = ctxWith();
    const out = renderViews(ctx, 'default');
    expect(out).toContain('$ kubectl get services -o wide\nNAME');
    expect(out).toContain('$ kubectl get pods -o wide\nNo resources found in default namespace.');
  });
});
