import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import { prepareOutDir } from './out-dir.ts';

let root: string;
let subs: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'kubelab-outdir-'));
  subs = path.join(root, 'subs');
  await mkdir(subs);
  await writeFile(path.join(root, 'file.txt'), 'x');
  await symlink(subs, path.join(root, 'subs-link'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('prepareOutDir', () => {
  it('creates a missing folder, nested, and accepts an existing one', async () => {
    const out = path.join(root, 'a', 'b', 'out');
    await prepareOutDir(out, subs);
    expect((await stat(out)).isDirectory()).toBe(true);
    await expect(prepareOutDir(out, subs)).resolves.toBeUndefined();
  });

  it('refuses a file as --out with a usage error, not an internal EEXIST', async () => {
    const err = await prepareOutDir(path.join(root, 'file.txt'), subs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/file\.txt is a file, not a folder/);
  });

  it('refuses a path below a file', async () => {
    const err = await prepareOutDir(path.join(root, 'file.txt', 'out'), subs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/cannot create the output folder .*a part of the path is a file/);
  });

  it('refuses the submissions folder itself, also through a symlink or a trailing /.', async () => {
    for (const out of [subs, path.join(subs, '.'), path.join(root, 'subs-link')]) {
      const err = await prepareOutDir(out, subs).catch((e: unknown) => e);
      expect(err, out).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/is the submissions folder/);
    }
  });

  it('accepts a folder inside the submissions folder (discovery skips it)', async () => {
    await expect(prepareOutDir(path.join(subs, 'out'), subs)).resolves.toBeUndefined();
  });
});
