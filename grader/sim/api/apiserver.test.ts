import { describe, expect, it } from 'vitest';
import { ApiError } from '../../errors.ts';
import { errorOf, newApiServer, y } from './test-helpers.ts';
import { LAST_APPLIED_ANNOTATION } from './apiserver.ts';

const svc = (name: string, spec: string) => y(`apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n${spec}`);
const deploy = (name: string, selector: string, labels: string, extra = '') =>
  y(`apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {${selector}}}
  template:
    metadata: {labels: {${labels}}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
${extra}`);

describe('bootstrap', () => {
  it('creates the system namespaces and the kubernetes Service at 10.96.0.1', () => {
    const { store } = newApiServer();
    expect(store.list('Namespace').map((n) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const k = store.get('Service', 'default', 'kubernetes')!;
    expect(k.spec.clusterIP).toBe('10.96.0.1');
    expect(k.spec.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }]);
    expect(k.spec.selector).toBeUndefined();
    expect(store.get('Namespace', undefined, 'default')!.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'default' });
  });
});

describe('apply', () => {
  it('creates, then reports unchanged, then configured', () => {
    const { api, store } = newApiServer();
    const s = svc('web', '  selector: {app: web}\n  ports: [{port: 80}]\n');
    expect(api.apply(s)).toEqual({ action: 'created', namespace: 'default' });
    expect(api.apply(s)).toEqual({ action: 'unchanged', namespace: 'default' });
    const changed = svc('web', '  selector: {app: web2}\n  ports: [{port: 80}]\n');
    expect(api.apply(changed).action).toBe('configured');
    expect(store.get('Service', 'default', 'web')!.spec.selector).toEqual({ app: 'web2' });
  });
  it('keeps allocated ClusterIP and nodePort across re-applies and removes dropped fields', () => {
    const { api, store } = newApiServer();
    api.apply(svc('np', '  type: NodePort\n  selector: {app: a, tier: x}\n  ports: [{port: 80}]\n'));
    const before = store.get('Service', 'default', 'np')!;
    api.apply(svc('np', '  type: NodePort\n  selector: {app: a}\n  ports: [{port: 80}]\n'));
    const after = store.get('Service', 'default', 'np')!;
    expect(after.spec.clusterIP).toBe(before.spec.clusterIP);
    expect(after.spec.ports[0].nodePort).toBe(before.spec.ports[0].nodePort);
    expect(after.spec.selector).toEqual({ app: 'a' });
  });
  it('records last-applied-configuration and uid/creationTimestamp from the seeded RNG and clock', () => {
    const a = newApiServer();
    const b = newApiServer();
    a.api.apply(svc('web', '  ports: [{port: 80}]\n'));
    b.api.apply(svc('web', '  ports: [{port: 80}]\n'));
    const sa = a.store.get('Service', 'default', 'web')!;
    const sb = b.store.get('Service', 'default', 'web')!;
    expect(sa.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(sa.metadata.uid).toBe(sb.metadata.uid);
    expect(sa.spec.clusterIP).toBe(sb.spec.clusterIP);
    expect(sa.metadata.creationTimestamp).toBe('2024-01-01T00:00:00Z');
    expect(JSON.parse(sa.metadata.annotations![LAST_APPLIED_ANNOTATION]!)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { ports: [{ port: 80 }] },
    });
  });
  it('refuses removed apiVersions and unknown kinds with NoKindMatch', () => {
    const { api } = newApiServer();
    const e = (() => {
      try {
        api.apply(y('apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: x}\n'));
      } catch (err) {
        return err as ApiError;
      }
    })()!;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.reason).toBe('NoKindMatch');
    expect(e.message).toBe('no matches for kind "Ingress" in version "extensions/v1beta1"');
    expect(errorOf(() => api.apply(y('apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p, namespace: default}\n')))).toBe(
      'no matches for kind "IPAddressPool" in version "metallb.io/v1beta1"',
    );
  });
  it('serves CRD kinds once their CustomResourceDefinition is applied, with a warning', () => {
    const { api, store, warnings } = newApiServer();
    api.apply(
      y(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ipaddresspools.metallb.io}
spec:
  group: metallb.io
  scope: Namespaced
  names: {kind: IPAddressPool, plural: ipaddresspools}
  versions: [{name: v1beta1, served: true, storage: true}]
`),
    );
    expect(api.apply(y('apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: p}\nspec: {addresses: [192.168.10.0/24]}\n')).action).toBe('created');
    expect(store.get('IPAddressPool', 'default', 'p')!.metadata.generation).toBe(1);
    expect(warnings).toContain('Warning: IPAddressPool "p" stored; the simulator does not model its behaviour');
  });
  it('stores served kinds without behaviour and warns', () => {
    const { api, warnings } = newApiServer();
    api.apply(y('apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {pods: "10"}}\n'));
    expect(warnings).toEqual(['Warning: ResourceQuota "q" stored; the simulator does not model its behaviour']);
  });
  it('does not warn for PodDisruptionBudget (the disruption controller gives it status)', () => {
    const { api, warnings, store } = newApiServer();
    api.apply(y('apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: zk-pdb}\nspec: {maxUnavailable: 1, selector: {matchLabels: {app: zk}}}\n'));
    expect(warnings).toEqual([]);
    // PrepareForCreate resets status: the counts serialise as zeros before the controller's first sync.
    expect(store.get('PodDisruptionBudget', 'default', 'zk-pdb')!.status).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
  });
  it('rejects a PDB with both minAvailable and maxUnavailable, or a percentage over 100%', () => {
    const { api } = newApiServer();
    expect(errorOf(() => api.apply(y('apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: b}\nspec: {minAvailable: 1, maxUnavailable: 1, selector: {}}\n')))).toContain('minAvailable and maxUnavailable cannot be both set');
    expect(errorOf(() => api.apply(y('apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: b}\nspec: {minAvailable: 150%, selector: {}}\n')))).toBe('The PodDisruptionBudget "b" is invalid: spec.minAvailable: Invalid value: "150%": must not be greater than 100%');
  });
  it('needs the namespace to exist', () => {
    const { api } = newApiServer();
    expect(errorOf(() => api.apply(y('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: ingress-nginx}\n')))).toBe('namespaces "ingress-nginx" not found');
  });
  it('drops metadata.namespace on cluster-scoped kinds', () => {
    const { api, store } = newApiServer();
    expect(api.apply(y('apiVersion: v1\nkind: Namespace\nmetadata: {name: dev, namespace: default}\n'))).toEqual({ action: 'created', namespace: undefined });
    expect(store.get('Namespace', undefined, 'dev')!.metadata.namespace).toBeUndefined();
  });
  it('warns when applying over an object created without apply', () => {
    const { api, warnings } = newApiServer();
    api.apply(svc('kubernetes', '  ports: [{name: https, port: 443, targetPort: 6443}]\n'));
    expect(warnings[0]).toMatch(/^Warning: resource services\/kubernetes is missing the kubectl.kubernetes.io\/last-applied-configuration annotation/);
  });
  it('refuses data values YAML read as numbers, as the apiserver decoder does', () => {
    const { api } = newApiServer();
    expect(errorOf(() => api.apply(y('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {PORT: 8080}\n')))).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
    );
    expect(errorOf(() => api.apply(y(`apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  selector: {matchLabels: {app: d}}
  template:
    metadata: {labels: {app: d}}
    spec:
      containers: [{name: web, image: nginx, env: [{name: PORT, value: 8080}]}]
`)))).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of type string',
    );
    expect(errorOf(() => api.apply(y('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: "not base64!"}\n')))).toBe(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
    );
  });
  it('supports generateName on create and refuses it on apply', () => {
    const { api } = newApiServer();
    const created = api.create(y('apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: cfg-}\n'));
    expect(created.metadata.name).toMatch(/^cfg-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(errorOf(() => api.apply(y('apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: cfg-}\n')))).toBe('cannot use generate name with apply');
  });
});

describe('validation messages', () => {
  const cases: [string, string, string][] = [
    ['second port unnamed', svc('web', '  ports: [{name: http, port: 80}, {port: 443}]\n') as any, 'The Service "web" is invalid: spec.ports[1].name: Required value'],
    [
      'two unnamed ports',
      svc('web', '  ports: [{port: 80}, {port: 443}]\n') as any,
      'The Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]',
    ],
    [
      'missing ports',
      svc('web', '  selector: {app: web}\n') as any,
      'The Service "web" is invalid: spec.ports: Required value',
    ],
    [
      'nodePort out of range',
      svc('web', '  type: NodePort\n  ports: [{port: 80, nodePort: 8080}]\n') as any,
      'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ],
    [
      'headless NodePort',
      svc('web', '  type: NodePort\n  clusterIP: None\n  ports: [{port: 80}]\n') as any,
      `The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`,
    ],
    [
      'headless LoadBalancer',
      svc('web', '  type: LoadBalancer\n  clusterIP: None\n  ports: [{port: 80}]\n') as any,
      `The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services`,
    ],
    [
      'nodePort on ClusterIP',
      svc('web', '  ports: [{port: 80, nodePort: 30080}]\n') as any,
      "The Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ],
    [
      'Service name not an RFC 1035 label',
      svc('1web', '  ports: [{port: 80}]\n') as any,
      `The Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ],
    [
      'duplicate port',
      svc('web', '  ports: [{name: a, port: 80}, {name: b, port: 80}]\n') as any,
      'The Service "web" is invalid: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ],
    [
      'bad protocol and port',
      svc('web', '  ports: [{port: 0, protocol: HTTP}]\n') as any,
      'The Service "web" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP", spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive]',
    ],
    [
      'targetPort name too long',
      svc('web', '  ports: [{port: 80, targetPort: http-server-port-1}]\n') as any,
      'The Service "web" is invalid: spec.ports[0].targetPort: Invalid value: "http-server-port-1": must be no more than 15 characters',
    ],
    [
      'ExternalName without a name',
      svc('web', '  type: ExternalName\n') as any,
      'The Service "web" is invalid: spec.externalName: Required value',
    ],
    [
      'sessionAffinityConfig with None',
      svc('web', '  ports: [{port: 80}]\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\n') as any,
      'The Service "web" is invalid: spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None',
    ],
    [
      'externalTrafficPolicy on ClusterIP',
      svc('web', '  ports: [{port: 80}]\n  externalTrafficPolicy: Local\n') as any,
      'The Service "web" is invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ],
    [
      'unknown type',
      svc('web', '  type: Ingress\n  ports: [{port: 80}]\n') as any,
      'The Service "web" is invalid: spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ],
    [
      'clusterIP outside the range',
      svc('web', '  clusterIP: 10.0.0.10\n  ports: [{port: 80}]\n') as any,
      'The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.10"}: failed to allocate IP 10.0.0.10: the provided IP (10.0.0.10) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    ],
    [
      'Deployment selector missing',
      y('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n') as any,
      'The Deployment "web" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]',
    ],
    [
      'Deployment selector not matching',
      deploy('web', 'app: web', 'app: nginx') as any,
      'The Deployment "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`',
    ],
    [
      'Deployment restartPolicy Never',
      deploy('web', 'app: web', 'app: web', '      restartPolicy: Never\n') as any,
      'The Deployment "web" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ],
    [
      'Pod without containers',
      y('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {}\n') as any,
      'The Pod "p" is invalid: spec.containers: Required value',
    ],
    [
      'Pod duplicate container names and missing image',
      y('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: x}, {name: a}]\n') as any,
      'The Pod "p" is invalid: [spec.containers[1].name: Duplicate value: "a", spec.containers[1].image: Required value]',
    ],
    [
      'Pod port name',
      y('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: x, ports: [{name: HTTP, containerPort: 80}]}]\n') as any,
      'The Pod "p" is invalid: [spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)]',
    ],
    [
      'Pod restartPolicy',
      y('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: Sometimes\n  containers: [{name: a, image: x}]\n') as any,
      'The Pod "p" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ],
    [
      'Pod mount of an undeclared volume',
      y('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: x, volumeMounts: [{name: data, mountPath: /d}]}]\n') as any,
      'The Pod "p" is invalid: spec.containers[0].volumeMounts[0].name: Not found: "data"',
    ],
    [
      'Ingress pathType missing',
      y('apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        backend: {service: {name: web, port: {number: 80}}}\n') as any,
      'The Ingress "i" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified',
    ],
    [
      'Ingress relative Prefix path and no port',
      y('apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  rules:\n  - host: "*.foo.com"\n    http:\n      paths:\n      - {path: foo, pathType: Prefix, backend: {service: {name: web}}}\n') as any,
      'The Ingress "i" is invalid: [spec.rules[0].http.paths[0].path: Invalid value: "foo": must be an absolute path, spec.rules[0].http.paths[0].backend: Required value: port name or number is required]',
    ],
    [
      'Ingress bad wildcard host',
      y('apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n  rules: [{host: "foo.*.com"}]\n') as any,
      `The Ingress "i" is invalid: spec.rules[0].host: Invalid value: "foo.*.com": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
    [
      'TLS Secret without keys',
      y('apiVersion: v1\nkind: Secret\nmetadata: {name: t}\ntype: kubernetes.io/tls\nstringData: {tls.crt: x}\n') as any,
      'The Secret "t" is invalid: data[tls.key]: Required value',
    ],
    [
      'ConfigMap key syntax',
      y('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {"a b": x}\n') as any,
      `The ConfigMap "c" is invalid: data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ],
    [
      'PVC without access modes or size',
      y('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {}\n') as any,
      'The PersistentVolumeClaim "c" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]',
    ],
    [
      'Namespace name',
      y('apiVersion: v1\nkind: Namespace\nmetadata: {name: Dev}\n') as any,
      `The Namespace "Dev" is invalid: metadata.name: Invalid value: "Dev": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ],
    [
      'label value',
      y('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, labels: {app: "-x"}}\n') as any,
      `The ConfigMap "c" is invalid: metadata.labels: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
  ];
  it.each(cases)('%s', (_name, obj, message) => {
    const { api } = newApiServer();
    expect(errorOf(() => api.apply(obj as any))).toBe(message);
  });

  it('reports an allocated nodePort cluster-wide, across namespaces', () => {
    const { api } = newApiServer();
    api.apply(y('apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n'));
    api.apply(y('apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: other}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 30080}]}\n'));
    expect(errorOf(() => api.apply(svc('b', '  type: NodePort\n  ports: [{port: 80, nodePort: 30080}]\n')))).toBe(
      'The Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
    );
  });
  it('frees nothing and keeps nothing when validation fails after allocation', () => {
    const { api } = newApiServer();
    expect(() => api.apply(svc('bad', '  type: NodePort\n  ports: [{port: 80, nodePort: 30090}, {port: 81, nodePort: 30091}]\n'))).toThrow(/name: Required value/);
    expect(api.nodePorts.has(30090)).toBe(false);
    api.apply(svc('good', '  type: NodePort\n  ports: [{port: 80, nodePort: 30090}]\n'));
    expect(api.nodePorts.has(30090)).toBe(true);
  });
  it('refuses a requested ClusterIP already in use', () => {
    const { api } = newApiServer();
    expect(errorOf(() => api.apply(svc('web', '  clusterIP: 10.96.0.1\n  ports: [{port: 80}]\n')))).toBe(
      'The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated',
    );
  });
});

describe('update rules', () => {
  it('refuses changing a Deployment selector', () => {
    const { api } = newApiServer();
    api.apply(deploy('web', 'app: web', 'app: web'));
    expect(errorOf(() => api.apply(deploy('web', 'app: web2', 'app: web2')))).toBe(
      'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });
  it('refuses turning a ClusterIP Service headless', () => {
    const { api } = newApiServer();
    api.apply(svc('mysql', '  ports: [{port: 3306}]\n'));
    expect(errorOf(() => api.apply(svc('mysql', '  clusterIP: None\n  ports: [{port: 3306}]\n')))).toBe(
      'The Service "mysql" is invalid: spec.clusterIPs[0]: Invalid value: []string{"None"}: may not change once set',
    );
  });
  it('refuses StatefulSet changes outside the mutable fields', () => {
    const { api } = newApiServer();
    const sts = (svcName: string) =>
      y(`apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: ${svcName}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n`);
    api.apply(sts('nginx'));
    expect(api.apply(sts('nginx')).action).toBe('unchanged');
    expect(errorOf(() => api.apply(sts('other')))).toBe(
      "The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    );
  });
  it('bumps generation on spec changes only', () => {
    const { api, store } = newApiServer();
    api.apply(deploy('web', 'app: web', 'app: web'));
    const d = store.get('Deployment', 'default', 'web')!;
    expect(d.metadata.generation).toBe(1);
    api.updateStatus({ ...d, status: { readyReplicas: 1 } });
    expect(store.get('Deployment', 'default', 'web')!.metadata.generation).toBe(1);
    api.update({ ...structuredClone(d), spec: { ...d.spec, replicas: 3 } });
    expect(store.get('Deployment', 'default', 'web')!.metadata.generation).toBe(2);
    expect(store.get('Deployment', 'default', 'web')!.status).toEqual({ readyReplicas: 1 });
  });
  it('writes nothing for a no-op update', () => {
    const { api, store } = newApiServer();
    api.apply(svc('web', '  ports: [{port: 80}]\n'));
    const before = store.get('Service', 'default', 'web')!;
    api.update(structuredClone(before));
    api.updateStatus(structuredClone(before));
    expect(store.get('Service', 'default', 'web')!.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });
  it('releases nodePorts when a Service turns ClusterIP', () => {
    const { api, store } = newApiServer();
    api.apply(svc('web', '  type: NodePort\n  ports: [{port: 80}]\n'));
    const np = store.get('Service', 'default', 'web')!.spec.ports[0].nodePort;
    expect(api.nodePorts.has(np)).toBe(true);
    expect(api.apply(svc('web', '  type: ClusterIP\n  ports: [{port: 80}]\n')).action).toBe('configured');
    const after = store.get('Service', 'default', 'web')!;
    expect(after.spec.ports[0].nodePort).toBeUndefined();
    expect(after.spec.externalTrafficPolicy).toBeUndefined();
    expect(api.nodePorts.has(np)).toBe(false);
  });
});

describe('defaulting and admission', () => {
  it('defaults a Service as the apiserver does', () => {
    const { api, store } = newApiServer();
    api.apply(svc('lb', '  type: LoadBalancer\n  externalTrafficPolicy: Local\n  sessionAffinity: ClientIP\n  ports: [{port: 80}]\n'));
    const s = store.get('Service', 'default', 'lb')!.spec;
    expect(s.ports[0]).toMatchObject({ port: 80, protocol: 'TCP', targetPort: 80 });
    expect(s.ports[0].nodePort).toBeGreaterThanOrEqual(30086);
    expect(s.ports[0].nodePort).toBeLessThanOrEqual(32767);
    expect(s.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(s.healthCheckNodePort).not.toBe(s.ports[0].nodePort);
    expect(s).toMatchObject({
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      allocateLoadBalancerNodePorts: true,
    });
    expect(s.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(s.clusterIPs).toEqual([s.clusterIP]);
  });
  it('allocates distinct ClusterIPs above the static band, deterministically', () => {
    const { api, store } = newApiServer();
    for (let i = 0; i < 300; i++) api.create(svc(`s${i}`, '  ports: [{port: 80}]\n'));
    const ips = store.list('Service').map((s) => s.spec.clusterIP);
    expect(new Set(ips).size).toBe(ips.length);
    const dynamic = ips.filter((ip) => ip !== '10.96.0.1');
    expect(dynamic.every((ip) => !/^10\.96\.0\.\d+$/.test(ip))).toBe(true);
  });
  it('defaults Deployments, pod templates and image pull policy', () => {
    const { api, store } = newApiServer();
    api.apply(deploy('web', 'app: web', 'app: web'));
    const d = store.get('Deployment', 'default', 'web')!;
    expect(d.spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    expect(d.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30 });
    expect(d.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
  });
  it('defaults StatefulSets and ReplicationController selectors', () => {
    const { api, store } = newApiServer();
    api.apply(y('apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n'));
    expect(store.get('StatefulSet', 'default', 'web')!.spec).toMatchObject({ replicas: 1, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate' } });
    api.apply(y('apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  template:\n    metadata: {labels: {name: mongo}}\n    spec: {containers: [{name: m, image: mongo}]}\n'));
    expect(store.get('ReplicationController', 'default', 'rc')!.spec.selector).toEqual({ name: 'mongo' });
  });
  it('adds default tolerations, status and pull policy to pods', () => {
    const { api, store } = newApiServer();
    api.apply(y('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: nginx, ports: [{containerPort: 80}]}]}\n'));
    const p = store.get('Pod', 'default', 'p')!;
    expect(p.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(p.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(p.spec.containers[0].ports[0].protocol).toBe('TCP');
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });
  it('fills ingressClassName from the single default IngressClass', () => {
    const { api, store } = newApiServer();
    api.apply(y('apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: example-class, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}\nspec: {controller: k8s.io/ingress-nginx}\n'));
    api.apply(y('apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec: {defaultBackend: {service: {name: web, port: {number: 80}}}}\n'));
    expect(store.get('Ingress', 'default', 'i')!.spec.ingressClassName).toBe('example-class');
  });
  it('merges Secret stringData into base64 data', () => {
    const { api, store } = newApiServer();
    api.apply(y('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2}\n'));
    const s = store.get('Secret', 'default', 's')!;
    expect(s.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
    expect(s.stringData).toBeUndefined();
    expect(s.type).toBe('Opaque');
  });
});

describe('delete', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {nodeName: kind-worker, containers: [{name: a, image: nginx}]}\n';
  it('marks a scheduled pod Terminating and removes it on a grace-0 delete', () => {
    const { api, store, clock } = newApiServer();
    api.apply(y(pod));
    api.delete('Pod', 'default', 'p');
    const p = store.get('Pod', 'default', 'p')!;
    expect(p.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(p.metadata.deletionTimestamp).toBe(clock.iso(clock.now() + 30_000));
    api.delete('Pod', 'default', 'p', { gracePeriodSeconds: 0, force: true });
    expect(store.get('Pod', 'default', 'p')).toBeUndefined();
  });
  it('removes an unscheduled pod at once', () => {
    const { api, store } = newApiServer();
    api.apply(y('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: nginx}]}\n'));
    api.delete('Pod', 'default', 'p');
    expect(store.get('Pod', 'default', 'p')).toBeUndefined();
  });
  it('frees a Service ClusterIP and nodePorts', () => {
    const { api, store } = newApiServer();
    api.apply(svc('web', '  type: NodePort\n  ports: [{port: 80, nodePort: 30500}]\n'));
    const ip = store.get('Service', 'default', 'web')!.spec.clusterIP;
    api.delete('Service', 'default', 'web');
    expect(api.clusterIPs.has(ip)).toBe(false);
    expect(api.nodePorts.has(30500)).toBe(false);
  });
  it('deletes a namespace with its content, once the pods are gone', () => {
    const { api, store } = newApiServer();
    api.apply(y('apiVersion: v1\nkind: Namespace\nmetadata: {name: dev}\n'));
    api.apply(y('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: dev}\n'));
    api.apply({ ...y(pod), metadata: { name: 'p', namespace: 'dev' } });
    api.delete('Namespace', undefined, 'dev');
    expect(store.get('ConfigMap', 'dev', 'c')).toBeUndefined();
    expect(store.get('Namespace', undefined, 'dev')!.status.phase).toBe('Terminating');
    expect(errorOf(() => api.apply(y('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d, namespace: dev}\n')))).toBe(
      'configmaps "d" is forbidden: unable to create new content in namespace dev because it is being terminated',
    );
    api.delete('Pod', 'dev', 'p', { gracePeriodSeconds: 0 });
    expect(store.get('Namespace', undefined, 'dev')).toBeUndefined();
  });
  it('refuses deleting a system namespace and reports missing objects', () => {
    const { api } = newApiServer();
    expect(errorOf(() => api.delete('Namespace', undefined, 'kube-system'))).toBe('namespaces "kube-system" is forbidden: this namespace may not be deleted');
    expect(errorOf(() => api.delete('Deployment', 'default', 'nope'))).toBe('deployments.apps "nope" not found');
  });
});

describe('pods/binding', () => {
  const pod = (name: string) => y(`apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers: [{name: c, image: nginx}]\n`);

  it('assigns the node and records PodScheduled=True, sharing the rest with the stored pod', () => {
    const { api, store } = newApiServer();
    api.apply(pod('p'));
    const before = store.get('Pod', 'default', 'p')!;
    const bound = api.bind('default', 'p', 'kind-worker');
    expect(bound.spec.nodeName).toBe('kind-worker');
    expect(bound.status.conditions).toEqual([{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:00Z' }]);
    expect(store.get('Pod', 'default', 'p')).toBe(bound);
    expect(Number(bound.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    expect(before.spec.nodeName).toBeUndefined();
  });

  it('refuses a pod already assigned, or gone, as the registry does', () => {
    const { api } = newApiServer();
    api.apply(pod('p'));
    api.bind('default', 'p', 'kind-worker');
    expect(() => api.bind('default', 'p', 'kind-worker2')).toThrow(expect.objectContaining({ reason: 'Conflict', message: 'Operation cannot be fulfilled on pods/binding "p": pod p is already assigned to node "kind-worker"' }));
    expect(errorOf(() => api.bind('default', 'nope', 'kind-worker'))).toBe('pods "nope" not found');
    api.apply(pod('q'));
    api.delete('Pod', 'default', 'q'); // unscheduled: removed at once, so nothing is left to bind
    expect(errorOf(() => api.bind('default', 'q', 'kind-worker'))).toBe('pods "q" not found');
  });
});
