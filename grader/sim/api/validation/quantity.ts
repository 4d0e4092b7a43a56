/**
 * resource.Quantity as the apiserver decodes and re-encodes it: `cpu: 0.5` is stored as "500m",
 * "1000m" as "1", "1024Mi" as "1Gi", "0.5Gi" as "512Mi", "1e3" stays "1e3". Values keep their
 * format (DecimalSI, BinarySI, DecimalExponent), are rounded up to nano precision, and print
 * in canonical form: a DecimalSI/DecimalExponent mantissa with an exponent that is a multiple
 * of 3, a BinarySI mantissa with a power of 1024 (BinarySI values below 1024 or not whole
 * print as DecimalSI). Exact arithmetic on BigInt, as inf.Dec does.
 * Source: k8s.io/apimachinery/pkg/api/resource/quantity.go (ParseQuantity, CanonicalizeBytes),
 * amount.go (AsCanonicalBytes, AsCanonicalBase1024Bytes), suffix.go.
 */

export const QUANTITY_REGEX_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The exact value is mantissa × 10^exponent (normalised so mantissa has no trailing zeros). */
  mantissa: bigint;
  exponent: number;
  format: Format;
}

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(Object.entries(DECIMAL).map(([s, e]) => [e, s]));
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function normalise(mantissa: bigint, exponent: number): { mantissa: bigint; exponent: number } {
  if (mantissa === 0n) return { mantissa, exponent: 0 };
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  return { mantissa, exponent };
}

/** ParseQuantity. Throws QUANTITY_REGEX_ERROR or "unable to parse quantity's suffix" as the decoder does. */
export function parseQuantity(input: string | number): Quantity {
  const str = typeof input === 'number' ? JSON.stringify(input) : input;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*[-+]?\d*)$/.exec(str);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(QUANTITY_REGEX_ERROR);
  const [, sign, whole, frac = '', suffix] = m;
  let format: Format;
  let exp10 = 0;
  let exp2 = 0;
  if (suffix! in BINARY) {
    format = 'BinarySI';
    exp2 = BINARY[suffix!]!;
  } else if (suffix! in DECIMAL) {
    format = 'DecimalSI';
    exp10 = DECIMAL[suffix!]!;
  } else if (/^[eE][-+]?\d+$/.test(suffix!)) {
    format = 'DecimalExponent';
    exp10 = Number(suffix!.slice(1));
  } else throw new Error("unable to parse quantity's suffix");
  let mantissa = BigInt(`${whole}${frac}` || '0') * 2n ** BigInt(exp2);
  let exponent = exp10 - frac.length;
  // Round the magnitude up to nano precision ("if you want some resources, you should get some").
  if (exponent < -9 && mantissa !== 0n) {
    const div = 10n ** BigInt(-9 - exponent);
    mantissa = (mantissa + div - 1n) / div;
    exponent = -9;
  }
  if (sign === '-') mantissa = -mantissa;
  const n = normalise(mantissa, exponent);
  // A BinarySI value strictly between 0 and 1 is DecimalSI from the start.
  if (format === 'BinarySI' && n.mantissa > 0n && n.exponent < 0 && absLessThanPow10(n, 0)) format = 'DecimalSI';
  return { ...n, format };
}

function absLessThanPow10(q: { mantissa: bigint; exponent: number }, p: number): boolean {
  const a = q.mantissa < 0n ? -q.mantissa : q.mantissa;
  // a × 10^e < 10^p  ⇔  a < 10^(p−e)
  const d = p - q.exponent;
  if (d > 60) return true;
  return d >= 0 ? a < 10n ** BigInt(d) : false;
}

/** Quantity.String() of a freshly decoded value: the canonical form. */
export function formatQuantity(q: Quantity): string {
  if (q.mantissa === 0n) return '0';
  let format = q.format;
  let whole: bigint | undefined;
  if (format === 'BinarySI') {
    const abs = q.mantissa < 0n ? -q.mantissa : q.mantissa;
    if (q.exponent < 0) format = 'DecimalSI'; // not a whole number: don't lose precision
    else {
      whole = abs * 10n ** BigInt(q.exponent);
      if (whole < 1024n) format = 'DecimalSI';
    }
  }
  if (format === 'BinarySI') {
    let v = whole!;
    let e = 0;
    while (v % 1024n === 0n && e < BINARY_SUFFIX.length - 1) {
      v /= 1024n;
      e++;
    }
    return `${q.mantissa < 0n ? '-' : ''}${v}${BINARY_SUFFIX[e]}`;
  }
  // Move the exponent down to a multiple of 3 (AsCanonicalBytes).
  const r = ((q.exponent % 3) + 3) % 3;
  const mantissa = q.mantissa * 10n ** BigInt(r);
  const exponent = q.exponent - r;
  if (format === 'DecimalExponent') return `${mantissa}${exponent === 0 ? '' : `e${exponent}`}`;
  const suffix = DECIMAL_SUFFIX[exponent];
  return suffix !== undefined ? `${mantissa}${suffix}` : `${mantissa}e${exponent}`;
}

/** The canonical string of a quantity value, or undefined when it does not parse. */
export function canonicalQuantity(v: string | number): string | undefined {
  try {
    return formatQuantity(parseQuantity(typeof v === 'string' ? v.trim() : v));
  } catch {
    return undefined;
  }
}

/** Where quantities sit in each kind (paths in decode.ts's notation: `[]` each item, `{}` each value). */
function podSpecQuantities(prefix: string): string[] {
  const out: string[] = [];
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const part of ['limits', 'requests']) out.push(`${prefix}.${list}[].resources.${part}{}`);
  }
  out.push(`${prefix}.overhead{}`, `${prefix}.volumes[].emptyDir.sizeLimit`);
  return out;
}

const CLAIM = ['spec.resources.requests{}', 'spec.resources.limits{}'];

export const QUANTITY_PATHS: Record<string, string[]> = {
  Pod: podSpecQuantities('spec'),
  PodTemplate: podSpecQuantities('template.spec'),
  ReplicationController: podSpecQuantities('spec.template.spec'),
  ReplicaSet: podSpecQuantities('spec.template.spec'),
  Deployment: podSpecQuantities('spec.template.spec'),
  DaemonSet: podSpecQuantities('spec.template.spec'),
  StatefulSet: [...podSpecQuantities('spec.template.spec'), ...CLAIM.map((p) => `spec.volumeClaimTemplates[].${p}`)],
  Job: podSpecQuantities('spec.template.spec'),
  CronJob: podSpecQuantities('spec.jobTemplate.spec.template.spec'),
  PersistentVolumeClaim: [...CLAIM, 'status.capacity{}'],
  PersistentVolume: ['spec.capacity{}'],
  ResourceQuota: ['spec.hard{}', 'status.hard{}', 'status.used{}'],
  LimitRange: ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'].map((f) => `spec.limits[].${f}{}`),
  Node: ['status.capacity{}', 'status.allocatable{}'],
};

/** Visit every quantity of an object: `set` replaces the value in place. */
export function eachQuantity(obj: { kind: string }, visit: (v: unknown, set: (nv: string) => void) => void): void {
  for (const path of QUANTITY_PATHS[obj.kind] ?? []) {
    let steps = STEPS.get(path);
    if (!steps) STEPS.set(path, (steps = parseSteps(path)));
    walk(obj, steps, 0, visit);
  }
}

interface Step {
  key: string;
  each: 0 | 1 | 2;
}

/** Paths parsed once: the walk runs on every write. */
const STEPS = new Map<string, Step[]>();

function parseSteps(path: string): Step[] {
  return path.split('.').map((head) => {
    const each = head.endsWith('[]') ? 1 : head.endsWith('{}') ? 2 : 0;
    return { key: each ? head.slice(0, -2) : head, each };
  });
}

function walk(node: unknown, steps: Step[], i: number, visit: (v: unknown, set: (nv: string) => void) => void): void {
  if (node === null || typeof node !== 'object') return;
  const { key, each } = steps[i]!;
  const parent = node as Record<string, unknown>;
  const child = parent[key];
  if (child === undefined || child === null) return;
  const last = i === steps.length - 1;
  if (each === 1) {
    if (Array.isArray(child)) for (const c of child) walk(c, steps, i + 1, visit);
  } else if (each === 2) {
    if (typeof child !== 'object' || Array.isArray(child)) return;
    const map = child as Record<string, unknown>;
    for (const k of Object.keys(map)) {
      if (last) visit(map[k], (nv) => { map[k] = nv; });
      else walk(map[k], steps, i + 1, visit);
    }
  } else if (last) visit(child, (nv) => { parent[key] = nv; });
  else walk(child, steps, i + 1, visit);
}

/** Rewrite every quantity of an object (already decodable) to its canonical string. */
export function canonicalizeQuantities(obj: { kind: string }): void {
  eachQuantity(obj, (v, set) => {
    if (typeof v !== 'string' && typeof v !== 'number') return;
    const c = canonicalQuantity(v);
    if (c !== undefined && c !== v) set(c);
  });
}

/** The decoder's error for the first quantity that does not parse, if any. */
export function quantityDecodeError(obj: { kind: string }): string | undefined {
  let err: string | undefined;
  eachQuantity(obj, (v) => {
    if (err || v === null) return;
    if (typeof v !== 'string' && typeof v !== 'number') {
      err = QUANTITY_REGEX_ERROR;
      return;
    }
    try {
      parseQuantity(typeof v === 'string' ? v.trim() : v);
    } catch (e) {
      err = (e as Error).message;
    }
  });
  return err;
}
