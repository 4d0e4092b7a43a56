/**
 * ConfigMaps and Secrets (pkg/apis/core/validation: ValidateConfigMap, ValidateSecret;
 * pkg/apis/core/v1/conversion.go merges Secret stringData into data on the way in).
 */
import type { KubeObject } from '../types.ts';
import { type FieldError, forbidden, invalid, required, tooLong } from '../validation/field.ts';
import { isConfigMapKey, nameIsDNSSubdomain } from '../validation/names.ts';
import { deepEqual } from '../apply/merge.ts';
import type { Strategy } from './strategy.ts';

/** core.MaxSecretSize: 1 MiB for a Secret's or a ConfigMap's data together. */
const MAX_SIZE = 1024 * 1024;

function keyErrors(data: Record<string, unknown> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const k of Object.keys(data ?? {})) for (const m of isConfigMapKey(k)) errs.push(invalid(`${field}[${k}]`, k, m));
  return errs;
}

function immutableErrors(obj: KubeObject, old: KubeObject): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  if (!deepEqual(obj.data, old.data)) errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
  if (obj.kind === 'ConfigMap' && !deepEqual(obj.binaryData, old.binaryData)) errs.push(forbidden('binaryData', 'field is immutable when `immutable` is set'));
  return errs;
}

export const configMapStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: false,
  statusSubresource: false,
  validate(obj) {
    const errs = [...keyErrors(obj.data, 'data'), ...keyErrors(obj.binaryData, 'binaryData')];
    let size = 0;
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) {
      size += k.length + String(v).length;
      if (obj.binaryData && k in obj.binaryData) errs.push(invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    }
    for (const [k, v] of Object.entries((obj.binaryData ?? {}) as Record<string, string>)) size += k.length + Buffer.from(String(v), 'base64').length;
    if (size > MAX_SIZE) errs.push(tooLong('', MAX_SIZE));
    return errs;
  },
  validateUpdate(obj, old, ctx) {
    return [...configMapStrategy.validate(obj, ctx), ...immutableErrors(obj, old)];
  },
};

/** Keys a typed Secret must carry (pkg/apis/core/types.go constants). */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

export const secretStrategy: Strategy = {
  nameValidator: nameIsDNSSubdomain,
  tracksGeneration: false,
  statusSubresource: false,
  defaults(obj) {
    obj.type ??= 'Opaque';
    // Conversion from v1: stringData is write-only; each value lands base64-encoded in data.
    if (obj.stringData && typeof obj.stringData === 'object') {
      obj.data ??= {};
      for (const [k, v] of Object.entries(obj.stringData as Record<string, string>)) obj.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      delete obj.stringData;
    }
  },
  validate(obj) {
    const errs = keyErrors(obj.data, 'data');
    let size = 0;
    for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) size += k.length + Buffer.from(String(v), 'base64').length;
    if (size > MAX_SIZE) errs.push(tooLong('data', MAX_SIZE));
    const type = String(obj.type ?? 'Opaque');
    for (const key of REQUIRED_KEYS[type] ?? []) if (!obj.data || !(key in obj.data)) errs.push(required(`data[${key}]`));
    if (type === 'kubernetes.io/basic-auth' && !obj.data?.username && !obj.data?.password) {
      errs.push(required('data[username]', 'either username or password is required'));
    }
    if (type === 'kubernetes.io/service-account-token' && !obj.metadata.annotations?.['kubernetes.io/service-account.name']) {
      errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
    }
    return errs;
  },
  validateUpdate(obj, old, ctx) {
    const errs = secretStrategy.validate(obj, ctx);
    if ((obj.type ?? 'Opaque') !== (old.type ?? 'Opaque')) errs.push(invalid('type', obj.type, 'field is immutable'));
    return [...errs, ...immutableErrors(obj, old)];
  },
};
