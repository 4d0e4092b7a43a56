import { describe, expect, it, afterAll } from 'vitest';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { resolveRequest, serveSite } from './serve.ts';
import { tempDir } from './testing.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('resolveRequest', () => {
  it('stays inside the root', () => {
    expect(resolveRequest('/srv/site', '/labs/a.html')).toBe(path.resolve('/srv/site/labs/a.html'));
    expect(resolveRequest('/srv/site', '/../etc/passwd')).toBe(path.resolve('/srv/site/etc/passwd'));
    expect(resolveRequest('/srv/site', '/%2e%2e/%2e%2e/etc/passwd')).toBe(path.resolve('/srv/site/etc/passwd'));
    expect(resolveRequest('/srv/site', '/%E0%A4%A')).toBeUndefined();
  });
});

describe('serveSite', () => {
  it('serves files with their type, index.html for folders, and 404 otherwise', async () => {
    const root = await tempDir('serve');
    dirs.push(root);
    await mkdir(path.join(root, 'labs'));
    await writeFile(path.join(root, 'index.html'), '<p>home</p>');
    await writeFile(path.join(root, 'labs', 'a.zip'), Buffer.from([1, 2, 3]));
    const server = await serveSite(root, 0);
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const home = await fetch(`${base}/`);
      expect(home.headers.get('content-type')).toContain('text/html');
      expect(await home.text()).toBe('<p>home</p>');
      const zip = await fetch(`${base}/labs/a.zip`);
      expect(zip.headers.get('content-type')).toBe('application/zip');
      expect(Buffer.from(await zip.arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
      expect((await fetch(`${base}/missing.html`)).status).toBe(404);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
