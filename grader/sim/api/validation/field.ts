/**
 * Field errors as k8s.io/apimachinery/pkg/util/validation/field renders them, and the
 * apiserver's Invalid status built from them. Bad values print as Go's %v/%#v would, because
 * that is what a student sees from a real cluster (`Invalid value: map[string]string{"app":"web"}`).
 */
import { ApiError, ApiErrorReason } from '../../../errors.ts';

export const ErrorType = {
  NotFound: 'Not found',
  Required: 'Required value',
  Duplicate: 'Duplicate value',
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Forbidden: 'Forbidden',
  TooLong: 'Too long',
  TooMany: 'Too many',
} as const;
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

export interface FieldError {
  type: ErrorType;
  field: string;
  /** Already rendered as Go would print it; undefined for types that omit the value. */
  value?: string;
  detail?: string;
}

/** Marks a value already rendered in Go syntax (so `goValue` leaves it alone). */
export class GoLiteral {
  constructor(readonly text: string) {}
}

/** Go's %v for simple values and %#v for the composite ones validation prints. */
export function goValue(v: unknown): string {
  if (v instanceof GoLiteral) return v.text;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => goQuote(x as string)).join(', ')}}`;
    return `[]interface {}{${v.map(goValue).join(', ')}}`;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.every(([, x]) => typeof x === 'string')) return goStringMap(v as Record<string, string>);
    return `map[string]interface {}{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${goQuote(k)}:${goValue(x)}`).join(', ')}}`;
  }
  return String(v);
}

/** `map[string]string{"a":"b", "c":"d"}` (Go sorts map keys when printing), or `(nil)`. */
export function goStringMap(m: Record<string, string> | undefined | null): string {
  if (!m) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`).join(', ')}}`;
}

export function goStringSlice(s: string[] | undefined | null): string {
  if (!s) return '[]string(nil)';
  return `[]string{${s.map(goQuote).join(', ')}}`;
}

/** metav1.LabelSelector as %#v prints it (the pointer is dereferenced by the error printer). */
export function goLabelSelector(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined): GoLiteral {
  if (!sel) return new GoLiteral('null');
  const exprs = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${goQuote(e.key)}, Operator:${goQuote(e.operator)}, Values:${goStringSlice(e.values)}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return new GoLiteral(`v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprs}}`);
}

/** Go's %q for the strings that occur in manifests (JSON escaping agrees for printable text). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

export function required(field: string, detail = ''): FieldError {
  return { type: ErrorType.Required, field, detail };
}
export function forbidden(field: string, detail: string): FieldError {
  return { type: ErrorType.Forbidden, field, detail };
}
export function invalid(field: string, value: unknown, detail: string): FieldError {
  return { type: ErrorType.Invalid, field, value: goValue(value), detail };
}
export function duplicate(field: string, value: unknown): FieldError {
  return { type: ErrorType.Duplicate, field, value: goValue(value) };
}
export function notFound(field: string, value: unknown): FieldError {
  return { type: ErrorType.NotFound, field, value: goValue(value) };
}
export function notSupported(field: string, value: unknown, valid: readonly string[]): FieldError {
  const detail = valid.length ? `supported values: ${valid.map(goQuote).join(', ')}` : '';
  return { type: ErrorType.NotSupported, field, value: goValue(value), detail };
}
export function tooLong(field: string, max: number): FieldError {
  return { type: ErrorType.TooLong, field, detail: `must have at most ${max} bytes` };
}

/** field.Error.Error(): `spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`. */
export function formatFieldError(e: FieldError): string {
  let s: string = e.type;
  if (e.value !== undefined && e.type !== ErrorType.Required && e.type !== ErrorType.Forbidden && e.type !== ErrorType.TooLong) {
    s += `: ${e.value}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return `${e.field}: ${s}`;
}

/** ErrorList.ToAggregate(): duplicates dropped, one error bare, several as `[a, b]`. */
export function aggregate(errs: FieldError[]): string {
  const msgs = [...new Set(errs.map(formatFieldError))];
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}

/** apierrors.NewInvalid as kubectl prints it: `The Service "web" is invalid: …`. */
export function invalidError(kind: string, name: string, errs: FieldError[]): ApiError {
  return new ApiError(
    ApiErrorReason.Invalid,
    `The ${kind} ${goQuote(name)} is invalid: ${aggregate(errs)}`,
    422,
    errs.map((e) => ({ field: e.field, message: formatFieldError(e) })),
  );
}

/** Builds field paths the way field.Path does: `spec.ports[1].name`, `data[tls.crt]`. */
export class Path {
  constructor(readonly text: string) {}
  static of(...parts: string[]): Path {
    return new Path(parts.join('.'));
  }
  child(...names: string[]): Path {
    // The usual one-name case without the arrays (validation makes a path per field it visits).
    if (names.length === 1) {
      const n = names[0];
      if (typeof n === 'string' && typeof this.text === 'string') return new Path(n === '' ? this.text : this.text === '' ? n : `${this.text}.${n}`);
    }
    return new Path([this.text, ...names].filter((x) => x !== '').join('.'));
  }
  index(i: number): Path {
    return new Path(`${this.text}[${i}]`);
  }
  key(k: string): Path {
    return new Path(`${this.text}[${k}]`);
  }
  toString(): string {
    return this.text;
  }
}
