import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadManifests } from './load.ts';
import { InputError, KubelabError } from '../errors.ts';

const CORPUS = '/work/shared/corpus/real-world';

function corpusFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (name === '_variants') continue;
    if (statSync(p).isDirectory()) out.push(...corpusFiles(p));
    else if (/\.(ya?ml|json)$/.test(name)) out.push(p);
  }
  return out;
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'kubelab-load-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function write(rel: string, text: string | Buffer): Promise<string> {
  const p = path.join(tmp, rel);
  await mkdir(path.dirname(p), { recursive: true });
  await writeFile(p, text);
  return p;
}

async function loadError(p: string | string[], opts?: Parameters<typeof loadManifests>[1]): Promise<InputError> {
  try {
    await loadManifests(p, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(KubelabError);
    return e as InputError;
  }
  throw new Error('expected loadManifests to fail');
}

describe('the real-world corpus', () => {
  const files = corpusFiles(CORPUS);
  it('has files to test', () => {
    expect(files.length).toBeGreaterThan(90);
  });
  it.each(files.map((f) => [path.relative(CORPUS, f)]))('%s loads with apiVersion, kind and a line', async (rel) => {
    const docs = await loadManifests(path.join(CORPUS, rel));
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) {
      expect(typeof d.object.apiVersion).toBe('string');
      expect(typeof d.object.kind).toBe('string');
      expect(d.line).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('format edge cases from the corpus', () => {
  const web = `${CORPUS}/kubernetes__website/content/en/examples`;
  it('reads KYAML flow style with comments and trailing commas', async () => {
    const [d] = await loadManifests(`${web}/application/guestbook/redis-follower-service.yaml`);
    expect(d!.object.kind).toBe('Service');
    expect(d!.object.spec.ports).toEqual([{ port: 6379 }]);
    expect(d!.object.spec.selector).toEqual({ app: 'redis', role: 'follower', tier: 'backend' });
  });
  it('reads `...` end markers and files without a final newline', async () => {
    const docs = await loadManifests(`${web}/service/access/backend-service.yaml`);
    expect(docs.map((d) => d.object.metadata.name)).toEqual(['hello']);
  });
  it('skips a comment-only first document and turns integer data keys into strings', async () => {
    const file = `${CORPUS}/kubernetes__ingress-nginx/docs/examples/customization/custom-errors/custom-default-backend-error_pages.configMap.yaml`;
    const docs = await loadManifests(file);
    expect(docs).toHaveLength(1);
    expect(Object.keys(docs[0]!.object.data)).toEqual(['404', '503']);
    expect(docs[0]!.line).toBe(3);
  });
  it('folds a backslash-continued double-quoted scalar into one string', async () => {
    const docs = await loadManifests(`${web}/application/zookeeper/zookeeper.yaml`);
    const sts = docs.find((d) => d.object.kind === 'StatefulSet')!;
    const cmd: string[] = sts.object.spec.template.spec.containers[0].command;
    const joined = cmd.join(' ');
    expect(joined).toContain('start-zookeeper --servers=3 --data_dir=');
    expect(joined).not.toContain('\\');
  });
  it('gives each document of a multi-document file its own line', async () => {
    const docs = await loadManifests(`${web}/application/zookeeper/zookeeper.yaml`);
    const lines = docs.map((d) => d.line);
    expect(lines[0]).toBe(1);
    expect(new Set(lines).size).toBe(docs.length);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });
  it('walks a folder recursively in sorted order, naming files relative to it', async () => {
    const docs = await loadManifests(`${CORPUS}/kubernetes__examples/web/guestbook`);
    const files = [...new Set(docs.map((d) => d.file))];
    expect(files[0]).toBe('all-in-one/guestbook-all-in-one.yaml');
    expect([...files].sort()).toEqual(files);
  });
});

describe('YAML as kubectl reads it (YAML 1.1 through go-yaml v2)', () => {
  it('reads yes/on as booleans, 0644 as octal, and keeps dates as strings', async () => {
    const f = await write('yaml11.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: yes\n  b: 0644\n  c: 2024-01-01\n  d: 1:30\n');
    const [d] = await loadManifests(f);
    expect(d!.object.data).toEqual({ a: true, b: 420, c: '2024-01-01', d: '1:30' });
  });
  it('expands a List, each item keeping its own line', async () => {
    const f = await write(
      'list.yaml',
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b}\n',
    );
    const docs = await loadManifests(f);
    expect(docs.map((d) => [d.object.metadata.name, d.line])).toEqual([
      ['a', 4],
      ['b', 7],
    ]);
  });
  it('reads JSON files', async () => {
    const f = await write('svc.json', JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'j' } }, null, 2));
    const [d] = await loadManifests(f);
    expect(d!.object.metadata.name).toBe('j');
  });
});

describe('refusals', () => {
  it('names missing apiVersion and kind as kubectl does', async () => {
    const f = await write('nokind.yaml', 'metadata:\n  name: x\n');
    const e = await loadError(f);
    expect(e.message).toBe(`${f}:1: error validating data: [apiVersion not set, kind not set]`);
    const g = await write('nokind2.yaml', 'apiVersion: v1\nmetadata:\n  name: x\n');
    expect((await loadError(g)).problem).toBe('error validating data: kind not set');
  });
  it('reports malformed YAML with its line and a hint', async () => {
    const f = await write('bad.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n   labels: y\n');
    const e = await loadError(f);
    expect(e.line).toBe(4); // where the broken compact mapping starts
    expect(e.problem).toMatch(/^malformed YAML: /);
    expect(e.hint).toBeTruthy();
  });
  it('refuses duplicate keys', async () => {
    const f = await write('dup.yaml', 'apiVersion: v1\nkind: Service\nkind: Pod\nmetadata: {name: x}\n');
    expect((await loadError(f)).problem).toMatch(/key "kind" is already set/);
  });
  it('refuses an alias bomb', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const f = await write('bomb.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n${lines.join('\n')}\n`);
    expect((await loadError(f)).problem).toMatch(/alias/);
  });
  it('refuses nesting deeper than the limit', async () => {
    const f = await write('deep.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: ${'['.repeat(150)}${']'.repeat(150)}\n`);
    expect((await loadError(f)).problem).toMatch(/deeper than 100/);
  });
  it('refuses files over the size limit', async () => {
    const f = await write('big.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n# ${'x'.repeat(2000)}\n`);
    const e = await loadError(f, { limits: { maxFileBytes: 1000 } });
    expect(e.problem).toMatch(/over the limit of 1000 bytes per file/);
  });
  it('refuses too many documents', async () => {
    const f = await write('many.yaml', Array(5).fill('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n').join('---\n'));
    expect((await loadError(f, { limits: { maxDocuments: 3 } })).problem).toMatch(/more than 3 documents/);
  });
  it('refuses a binary file named explicitly, skips one in a folder with a warning', async () => {
    const bin = await write('bin/image.yaml', Buffer.from([0x61, 0x00, 0x62]));
    await write('bin/ok.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n');
    expect((await loadError(bin)).problem).toMatch(/binary/);
    const warnings: string[] = [];
    const docs = await loadManifests(path.join(tmp, 'bin'), { warnings });
    expect(docs.map((d) => d.object.metadata.name)).toEqual(['ok']);
    expect(warnings).toEqual(['image.yaml: skipped a binary file']);
  });
  it('says so for a folder with no manifests, skipping README and hidden folders', async () => {
    await write('empty/README.md', '# hi\n');
    await write('empty/.git/x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const dir = path.join(tmp, 'empty');
    expect((await loadError(dir)).problem).toBe('no manifests (.yaml, .yml or .json files) found in this folder');
  });
  it('refuses a symlink pointing outside the folder', async () => {
    const outside = await write('outside.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    await mkdir(path.join(tmp, 'linked'), { recursive: true });
    await symlink(outside, path.join(tmp, 'linked', 'link.yaml'));
    expect((await loadError(path.join(tmp, 'linked'))).problem).toMatch(/outside the submitted folder/);
  });
  it('reports a missing path', async () => {
    expect((await loadError(path.join(tmp, 'nope.yaml'))).problem).toMatch(/does not exist/);
  });
  it('turns a document that is not a mapping into an InputError', async () => {
    const f = await write('scalar.yaml', 'just a string\n');
    expect((await loadError(f)).problem).toMatch(/not a Kubernetes object/);
  });
});

describe('hostile input found in the release review', () => {
  it('reports nesting that overflows the parser as too deep, not as malformed YAML', async () => {
    const f = await write('deep10k.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
    const e = await loadError(f);
    expect(e.problem).toBe('document nests maps and lists deeper than 100 levels');
    expect(e.line).toBe(4);
    expect(e.hint).toMatch(/never this deep/);
  });
  it('refuses bytes that are not UTF-8, with the line, instead of reading U+FFFD', async () => {
    const f = await write('latin1.yaml', Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const e = await loadError(f);
    expect(e.problem).toBe('is not UTF-8 text (invalid byte at column 12)');
    expect(e.line).toBe(4);
    expect(e.hint).toMatch(/UTF-8/);
  });
  it('still reads valid multi-byte UTF-8 and a BOM', async () => {
    const f = await write('utf8.yaml', '\ufeffapiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {greeting: "안녕 ñ €"}\n');
    const [doc] = await loadManifests(f);
    expect((doc!.object as unknown as { data: Record<string, string> }).data.greeting).toBe('안녕 ñ €');
  });
  it('names the file when every manifest of a folder is binary', async () => {
    await write('allbin/a.yaml', Buffer.alloc(64, 0));
    const e = await loadError(path.join(tmp, 'allbin'));
    expect(e.file).toBe('a.yaml');
    expect(e.problem).toMatch(/binary file/);
  });
});

describe('duplicate keys', () => {
  it('names the repeated key of a JSON object and its line, as go-yaml does', async () => {
    const f = await write('dup.json', '{"apiVersion":"v1","kind":"ConfigMap",\n "metadata":{"name":"x"},"kind":"Secret"}');
    const e = await loadError(f);
    expect(e.problem).toBe('malformed YAML: key "kind" is already set in this map');
    expect(e.line).toBe(2);
    expect(e.hint).toMatch(/same key/);
  });
  it('names a repeated plain YAML key', async () => {
    const f = await write('dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n');
    const e = await loadError(f);
    expect(e.problem).toBe('malformed YAML: key "name" is already set in this map');
    expect(e.line).toBe(5);
  });
});
