import { link, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTarGz } from './archive/tar.ts';
import { extractZip } from './archive/zip.ts';
import { collectFolder } from './collect.ts';
import { writeTarGz, writeZip } from './fixtures/class-builder.ts';
import { hashFileList } from './hash.ts';
import { defaultLimits } from './limits.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'kubelab-collect-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const files = async (dir: string) => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();

describe('folder submissions', () => {
  it('stage nested manifests only, skipping tooling folders, with a stable content hash', async () => {
    const src = path.join(root, 'src');
    await mkdir(path.join(src, 'k8s', 'base'), { recursive: true });
    await mkdir(path.join(src, '.github', 'workflows'), { recursive: true });
    await mkdir(path.join(src, 'node_modules', 'x'), { recursive: true });
    await writeFile(path.join(src, 'k8s', 'base', 'svc.yaml'), 'kind: Service\n');
    await writeFile(path.join(src, 'k8s', 'list.json'), '{"kind":"List","items":[]}');
    await writeFile(path.join(src, '.github', 'workflows', 'ci.yml'), 'on: push\n');
    await writeFile(path.join(src, 'node_modules', 'x', 'a.yaml'), 'x: 1\n');
    await writeFile(path.join(src, 'package.json'), '{}');
    await writeFile(path.join(src, 'notes.md'), '# notes\n');
    const a = await collectFolder(src, path.join(root, 'stage-a'), defaultLimits);
    expect(a.files.map((f) => f.rel)).toEqual(['k8s/base/svc.yaml', 'k8s/list.json']);
    expect(await files(path.join(root, 'stage-a'))).toEqual(['k8s/base/svc.yaml', 'k8s/list.json']);
    const b = await collectFolder(src, path.join(root, 'stage-b'), defaultLimits);
    expect(hashFileList(b.files)).toBe(hashFileList(a.files));
    await writeFile(path.join(src, 'k8s', 'list.json'), '{"kind":"List","items":[ ]}');
    const c = await collectFolder(src, path.join(root, 'stage-c'), defaultLimits);
    expect(hashFileList(c.files)).not.toBe(hashFileList(a.files));
  });

  it('refuse hard-linked manifests, which could expose files outside the submission', async () => {
    const src = path.join(root, 'hard');
    await mkdir(src);
    await writeFile(path.join(root, 'outside.yaml'), 'kind: Secret\n');
    await link(path.join(root, 'outside.yaml'), path.join(src, 'svc.yaml'));
    await expect(collectFolder(src, path.join(root, 'stage-hard'), defaultLimits)).rejects.toThrow(/hard link/);
  });

  it('refuse trees deeper than the limit', async () => {
    const src = path.join(root, 'deep');
    await mkdir(path.join(src, ...Array(20).fill('d')), { recursive: true });
    await expect(collectFolder(src, path.join(root, 'stage-deep'), defaultLimits)).rejects.toThrow(/nested more than 16 folders/);
  });
});

describe('archives', () => {
  it('extract only manifests, keeping their relative paths', async () => {
    const zip = path.join(root, 'ok.zip');
    await writeZip(zip, [{ name: 'sub/k8s/a.yaml', body: 'a: 1\n' }, { name: 'sub/img.png', body: Buffer.from([0x89, 0x50, 0, 0]) }, { name: '__MACOSX/sub/._a.yaml', body: 'junk' }]);
    const staged = await extractZip(zip, path.join(root, 'zip-out'), defaultLimits);
    expect(staged.map((f) => f.rel)).toEqual(['sub/k8s/a.yaml']);
    expect(await files(path.join(root, 'zip-out'))).toEqual(['sub/k8s/a.yaml']);

    const tgz = path.join(root, 'ok.tgz');
    const long = `${'very-long-folder-name/'.repeat(6)}svc.yaml`;
    await writeTarGz(tgz, [{ path: long, body: 'kind: Service\n' }, { path: 'b.yml', body: 'b: 2\n' }]);
    const tstaged = await extractTarGz(tgz, path.join(root, 'tar-out'), defaultLimits);
    expect(tstaged.map((f) => f.rel)).toEqual(['b.yml', long]);
  });

  it('refuse a file listed twice and a tar that is not gzip', async () => {
    const tgz = path.join(root, 'dup.tgz');
    await writeTarGz(tgz, [{ path: 'a.yaml', body: 'a: 1\n' }, { path: 'a.yaml', body: 'a: 2\n' }]);
    await expect(extractTarGz(tgz, path.join(root, 'dup-out'), defaultLimits)).rejects.toThrow(/contains a\.yaml twice/);
    const plain = path.join(root, 'plain.tar.gz');
    await writeFile(plain, 'not gzip');
    await expect(extractTarGz(plain, path.join(root, 'plain-out'), defaultLimits)).rejects.toThrow(/not a gzip-compressed tar/);
  });
});
