/**
 * What the apiserver's JSON decoder refuses before validation even starts: a number or a
 * boolean where Go has a string (kubectl sends YAML 1.1 values as they parsed, so an unquoted
 * `8080`, `true` or `yes` in a ConfigMap or a label arrives as a number or a bool), a string
 * where Go has an int32, and Secret data that is not base64. The message is the decoder's:
 * `ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number
 * into Go struct field ConfigMap.data of type string` (a 400 BadRequest).
 */
import { ApiError, ApiErrorReason } from '../../../errors.ts';
import type { KubeObject } from '../types.ts';
import { quantityDecodeError } from './quantity.ts';

type GoType = 'string' | 'int32' | 'bytes';
interface Rule {
  /** Dotted path; `[]` walks every list item, `{}` every map value. */
  path: string;
  struct: string;
  type: GoType;
}

function podSpecRules(prefix: string): Rule[] {
  return [
    { path: `${prefix}.containers[].name`, struct: 'Container', type: 'string' },
    { path: `${prefix}.containers[].image`, struct: 'Container', type: 'string' },
    { path: `${prefix}.containers[].command[]`, struct: 'Container', type: 'string' },
    { path: `${prefix}.containers[].args[]`, struct: 'Container', type: 'string' },
    { path: `${prefix}.containers[].ports[].containerPort`, struct: 'ContainerPort', type: 'int32' },
    { path: `${prefix}.containers[].ports[].hostPort`, struct: 'ContainerPort', type: 'int32' },
    { path: `${prefix}.containers[].env[].name`, struct: 'EnvVar', type: 'string' },
    { path: `${prefix}.containers[].env[].value`, struct: 'EnvVar', type: 'string' },
    { path: `${prefix}.initContainers[].env[].value`, struct: 'EnvVar', type: 'string' },
    { path: `${prefix}.initContainers[].command[]`, struct: 'Container', type: 'string' },
    { path: `${prefix}.initContainers[].args[]`, struct: 'Container', type: 'string' },
    { path: `${prefix}.nodeSelector{}`, struct: 'PodSpec', type: 'string' },
  ];
}

const META_RULES: Rule[] = [
  { path: 'metadata.name', struct: 'ObjectMeta', type: 'string' },
  { path: 'metadata.generateName', struct: 'ObjectMeta', type: 'string' },
  { path: 'metadata.namespace', struct: 'ObjectMeta', type: 'string' },
  { path: 'metadata.labels{}', struct: 'ObjectMeta', type: 'string' },
  { path: 'metadata.annotations{}', struct: 'ObjectMeta', type: 'string' },
];

function workloadRules(kind: string): Rule[] {
  return [
    { path: 'spec.replicas', struct: `${kind}Spec`, type: 'int32' },
    { path: 'spec.selector.matchLabels{}', struct: 'LabelSelector', type: 'string' },
    { path: 'spec.template.metadata.labels{}', struct: 'ObjectMeta', type: 'string' },
    { path: 'spec.template.metadata.annotations{}', struct: 'ObjectMeta', type: 'string' },
    ...podSpecRules('spec.template.spec'),
  ];
}

const KIND_RULES: Record<string, Rule[]> = {
  Pod: podSpecRules('spec'),
  Deployment: workloadRules('Deployment'),
  ReplicaSet: workloadRules('ReplicaSet'),
  StatefulSet: [...workloadRules('StatefulSet'), { path: 'spec.serviceName', struct: 'StatefulSetSpec', type: 'string' }],
  DaemonSet: workloadRules('DaemonSet'),
  ReplicationController: [
    { path: 'spec.replicas', struct: 'ReplicationControllerSpec', type: 'int32' },
    { path: 'spec.selector{}', struct: 'ReplicationControllerSpec', type: 'string' },
    { path: 'spec.template.metadata.labels{}', struct: 'ObjectMeta', type: 'string' },
    ...podSpecRules('spec.template.spec'),
  ],
  Service: [
    { path: 'spec.selector{}', struct: 'ServiceSpec', type: 'string' },
    { path: 'spec.ports[].port', struct: 'ServicePort', type: 'int32' },
    { path: 'spec.ports[].nodePort', struct: 'ServicePort', type: 'int32' },
    { path: 'spec.ports[].name', struct: 'ServicePort', type: 'string' },
    { path: 'spec.clusterIP', struct: 'ServiceSpec', type: 'string' },
    { path: 'spec.type', struct: 'ServiceSpec', type: 'string' },
  ],
  ConfigMap: [{ path: 'data{}', struct: 'ConfigMap', type: 'string' }],
  Secret: [
    { path: 'data{}', struct: 'Secret', type: 'bytes' },
    { path: 'stringData{}', struct: 'Secret', type: 'string' },
  ],
  Ingress: [
    { path: 'spec.rules[].host', struct: 'IngressRule', type: 'string' },
    { path: 'spec.rules[].http.paths[].path', struct: 'HTTPIngressPath', type: 'string' },
    { path: 'spec.rules[].http.paths[].backend.service.port.number', struct: 'ServiceBackendPort', type: 'int32' },
    { path: 'spec.rules[].http.paths[].backend.service.name', struct: 'IngressServiceBackend', type: 'string' },
  ],
};

function jsonType(v: unknown): string {
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** One step of a rule's path, parsed once: the key and whether to walk a list's items or a map's values. */
interface Step {
  key: string;
  each: 0 | 1 | 2;
}

/** A rule ready to check: its steps and the dotted path without indices that errors name. */
interface CompiledRule {
  steps: Step[];
  where: string;
  rule: Rule;
}

function parseSteps(path: string): Step[] {
  return path.split('.').map((head) => {
    const each = head.endsWith('[]') ? 1 : head.endsWith('{}') ? 2 : 0;
    return { key: each ? head.slice(0, -2) : head, each };
  });
}

const compiled = new Map<Rule[], CompiledRule[]>();

function compile(rules: Rule[]): CompiledRule[] {
  let c = compiled.get(rules);
  if (!c) {
    c = rules.map((rule) => {
      const steps = parseSteps(rule.path);
      return { steps, where: steps.map((s) => s.key).join('.'), rule };
    });
    compiled.set(rules, c);
  }
  return c;
}

/**
 * Checks every value the rule's path reaches, in document order. The path an error names is
 * the rule's own (keys without indices), so nothing is built while walking: this runs on
 * every write.
 */
function walk(obj: unknown, c: CompiledRule, i: number, kind: KubeObject): void {
  const steps = c.steps;
  if (i === steps.length) {
    check(obj, c, kind);
    return;
  }
  if (obj === null || obj === undefined || typeof obj !== 'object') return;
  const step = steps[i]!;
  const child = (obj as Record<string, unknown>)[step.key];
  if (child === undefined || child === null) return;
  if (step.each === 1) {
    if (Array.isArray(child)) for (const x of child) walk(x, c, i + 1, kind);
  } else if (step.each === 2) {
    if (typeof child === 'object' && !Array.isArray(child)) for (const x of Object.values(child)) walk(x, c, i + 1, kind);
  } else {
    walk(child, c, i + 1, kind);
  }
}

function check(v: unknown, c: CompiledRule, obj: KubeObject): void {
  if (v === null || v === undefined) return;
  const { rule, where } = c;
  if (rule.type === 'string') {
    if (typeof v !== 'string') {
      throw decodeError(obj.kind, obj.apiVersion, `json: cannot unmarshal ${jsonType(v)} into Go struct field ${rule.struct}.${where} of type string`);
    }
    return;
  }
  if (rule.type === 'int32') {
    if (typeof v !== 'number') throw decodeError(obj.kind, obj.apiVersion, `json: cannot unmarshal ${jsonType(v)} into Go struct field ${rule.struct}.${where} of type int32`);
    if (!Number.isInteger(v) || v > 2147483647 || v < -2147483648) {
      throw decodeError(obj.kind, obj.apiVersion, `json: cannot unmarshal number ${v} into Go struct field ${rule.struct}.${where} of type int32`);
    }
  }
  if (rule.type === 'bytes') {
    if (typeof v !== 'string') throw decodeError(obj.kind, obj.apiVersion, `json: cannot unmarshal ${jsonType(v)} into Go struct field ${rule.struct}.${where} of type []uint8`);
    const at = base64ErrorOffset(v as string);
    if (at >= 0) throw decodeError(obj.kind, obj.apiVersion, `illegal base64 data at input byte ${at}`);
  }
}

/** Position of the first byte Go's base64.StdEncoding refuses, or -1 when the text decodes. */
export function base64ErrorOffset(s: string): number {
  const clean = s.replace(/[\r\n]/g, '');
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i]!;
    if (/[A-Za-z0-9+/]/.test(c)) continue;
    if (c === '=') {
      const rest = clean.slice(i);
      if (/^={1,2}$/.test(rest) && clean.length % 4 === 0) return -1;
      return i;
    }
    return i;
  }
  return clean.length % 4 === 0 ? -1 : clean.length - (clean.length % 4);
}

export function decodeError(kind: string, apiVersion: string, detail: string): ApiError {
  const version = apiVersion.includes('/') ? apiVersion.split('/')[1]! : apiVersion;
  return new ApiError(ApiErrorReason.BadRequest, `${kind} in version "${version}" cannot be handled as a ${kind}: ${detail}`, 400);
}

/** Throws the decoder's BadRequest for the first value of the wrong JSON type. */
export function checkDecodable(obj: KubeObject): void {
  if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) {
    throw decodeError(obj.kind, obj.apiVersion, `json: cannot unmarshal ${jsonType(obj.metadata)} into Go struct field ${obj.kind}.metadata of type v1.ObjectMeta`);
  }
  for (const c of compile(META_RULES)) walk(obj, c, 0, obj);
  const kindRules = KIND_RULES[obj.kind];
  if (kindRules) for (const c of compile(kindRules)) walk(obj, c, 0, obj);
  // resource.Quantity's UnmarshalJSON parses every quantity (the value is canonicalised later, see registry/table.ts).
  const q = quantityDecodeError(obj);
  if (q) throw decodeError(obj.kind, obj.apiVersion, q);
}
