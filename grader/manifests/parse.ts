/**
 * Turns the text of one manifest file into documents, as kubectl's YAML-or-JSON decoder
 * does: a stream of YAML documents (JSON is a subset), empty and comment-only documents
 * skipped, `kind: List` (and any `*List` with `items`) flattened, every document tagged with
 * the line where it starts.
 *
 * kubectl reads YAML 1.1 (sigs.k8s.io/yaml on go-yaml v2), so the parser runs the YAML 1.1
 * schema: `yes`/`no`/`on`/`off` are booleans and `0644` is octal 420 there, exactly as kubectl
 * sends them to the apiserver. Two 1.1 features go-yaml v2 does not apply when decoding into
 * an untyped map are left out: timestamps stay strings and `1:30` is not base 60.
 */
import YAML, { LineCounter, type Document, isMap, isSeq, type Node } from 'yaml';
import { InputError, KubelabError } from '../errors.ts';
import type { KubeObject } from '../sim/api/types.ts';
import type { LoadedDocument } from './types.ts';
import type { LoadLimits } from './limits.ts';

const YAML_HINT = 'check the indentation (spaces, never tabs), the colons after keys and the quoting on that line';

/** The YAML 1.1 tags go-yaml v2 resolves for untyped values: no timestamps, no sexagesimal numbers. */
function goYamlV2Tags(tags: YAML.Tags): YAML.Tags {
  return tags.filter((t) => {
    const tag = typeof t === 'string' ? t : t.tag;
    const format = typeof t === 'string' ? undefined : (t as { format?: string }).format;
    return tag !== 'tag:yaml.org,2002:timestamp' && format !== 'TIME';
  });
}

export interface ParseOptions {
  limits: Pick<LoadLimits, 'maxAliasCount' | 'maxDepth'>;
}

/** Parse one file's text. Throws InputError (never anything else) for input it cannot accept. */
export function parseManifestText(text: string, file: string, opts: ParseOptions): LoadedDocument[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lineCounter = new LineCounter();
  const line = (offset: number | undefined): number => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  let docs: Document.Parsed[];
  try {
    const parsed = YAML.parseAllDocuments(text, {
      lineCounter,
      prettyErrors: false,
      schema: 'yaml-1.1',
      customTags: goYamlV2Tags,
      uniqueKeys: true,
    });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (err) {
    throw asInputError(err, file, undefined, opts);
  }

  const out: LoadedDocument[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      // The yaml library turns a stack overflow on deep nesting into a RESOURCE_EXHAUSTION
      // parse error; it is not a typo in the file, so it must not get the indentation hint.
      if (err.code === 'RESOURCE_EXHAUSTION') throw depthError(file, line(err.pos[0]), opts.limits.maxDepth);
      if (err.code === 'DUPLICATE_KEY') {
        // go-yaml's wording, with the key named: the indentation hint would send students astray.
        const key = keyAt(text, err.pos[0]);
        throw new InputError(file, line(err.pos[0]), `malformed YAML: ${key === undefined ? 'a key is' : `key ${JSON.stringify(key)} is`} already set in this map`, 'remove one of the two entries with the same key (or merge them)');
      }
      throw new InputError(file, line(err.pos[0]), `malformed YAML: ${yamlMessage(err.message)}`, YAML_HINT);
    }
    const contents = doc.contents as Node | null;
    if (contents === null || contents === undefined) continue; // empty or comment-only document
    const docLine = line(contents.range?.[0]);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: opts.limits.maxAliasCount });
    } catch (e) {
      throw asInputError(e, file, docLine, opts);
    }
    if (value === null || value === undefined) continue; // `~` or `null` alone: nothing to apply
    checkDepth(value, opts.limits.maxDepth, file, docLine);
    if (!isPlainObject(value)) {
      throw new InputError(
        file,
        docLine,
        `error validating data: this document is a ${describeJsType(value)}, not a Kubernetes object`,
        'each document must be a mapping with apiVersion, kind and metadata',
      );
    }
    const kind = value['kind'];
    const items = value['items'];
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) {
      // kubectl flattens any list kind (meta.IsListType): every item is applied on its own.
      const seq = isMap(contents) ? contents.get('items', true) : undefined;
      items.forEach((item, i) => {
        const itemNode = isSeq(seq) ? (seq.items[i] as Node | undefined) : undefined;
        const itemLine = itemNode?.range ? line(itemNode.range[0]) : docLine;
        if (!isPlainObject(item)) {
          throw new InputError(file, itemLine, `error validating data: items[${i}] of the ${kind} is not an object`, 'each item of a List must be a Kubernetes object');
        }
        out.push({ object: checkTypeMeta(item, file, itemLine), file, line: itemLine });
      });
      continue;
    }
    out.push({ object: checkTypeMeta(value, file, docLine), file, line: docLine });
  }
  return out;
}

/** kubectl's client-side check: `error validating data: [apiVersion not set, kind not set]`. */
function checkTypeMeta(obj: Record<string, unknown>, file: string, line: number): KubeObject {
  const problems: string[] = [];
  if (typeof obj['apiVersion'] !== 'string' || obj['apiVersion'] === '') problems.push('apiVersion not set');
  if (typeof obj['kind'] !== 'string' || obj['kind'] === '') problems.push('kind not set');
  if (problems.length) {
    const agg = problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`;
    throw new InputError(
      file,
      line,
      `error validating data: ${agg}`,
      'every document needs `apiVersion:` and `kind:` at its top level (e.g. apiVersion: v1, kind: Service)',
    );
  }
  if (obj['metadata'] === undefined || obj['metadata'] === null) obj['metadata'] = {};
  if (!isPlainObject(obj['metadata'])) {
    throw new InputError(file, line, 'error validating data: metadata must be a mapping', 'write metadata as a mapping, e.g. `metadata: {name: web}`');
  }
  return obj as unknown as KubeObject;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describeJsType(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  return typeof v;
}

/** Iterative, so a hostile document cannot overflow the stack while we measure it. */
function checkDepth(value: unknown, maxDepth: number, file: string, line: number): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > maxDepth) throw depthError(file, line, maxDepth);
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
}

/** The key written at `offset` (plain, 'single' or "double" quoted), for messages. */
function keyAt(text: string, offset: number): string | undefined {
  const m = /^(?:"((?:[^"\\\n]|\\.)*)"|'([^'\n]*)'|([^:,{}[\]\n#]+?))\s*:/.exec(text.slice(offset, offset + 300));
  if (!m) return undefined;
  if (m[1] !== undefined) {
    try {
      return JSON.parse(`"${m[1]}"`) as string;
    } catch {
      return m[1];
    }
  }
  return m[2] ?? m[3]?.trim();
}

function depthError(file: string, line: number | undefined, maxDepth: number): InputError {
  return new InputError(file, line, `document nests maps and lists deeper than ${maxDepth} levels`, 'Kubernetes objects are never this deep; check for runaway generated YAML');
}

/** The yaml library's message without its own position suffix (we report file:line ourselves). */
function yamlMessage(msg: string): string {
  return msg.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
}

function asInputError(err: unknown, file: string, line: number | undefined, opts: ParseOptions): KubelabError {
  if (err instanceof KubelabError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  if (/alias/i.test(msg)) {
    return new InputError(file, line, `too many YAML aliases (more than ${opts.limits.maxAliasCount}): refusing a possible alias bomb`, 'expand anchors by hand or use fewer `*alias` references');
  }
  if (err instanceof RangeError) return depthError(file, line, opts.limits.maxDepth);
  return new InputError(file, line, `malformed YAML: ${yamlMessage(msg)}`, YAML_HINT);
}
