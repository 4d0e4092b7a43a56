import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { buildSite, type BuildResult } from './build.ts';
import { fixtureLabs, labsWithBroken, readTree, repoRoot, siteOptions, tempDir } from './testing.ts';

const temps: string[] = [];
async function temp(prefix: string): Promise<string> {
  const d = await tempDir(prefix);
  temps.push(d);
  return d;
}
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

describe('buildSite on the fixture labs', () => {
  let out: string;
  let result: BuildResult;
  let tree: Map<string, Buffer>;
  beforeAll(async () => {
    out = await temp('site');
    result = await buildSite(siteOptions(fixtureLabs, out));
    tree = await readTree(out);
  });

  it('builds every page, starter file and archive', () => {
    expect(result.errors).toEqual([]);
    expect(result.labs.map((l) => l.folder)).toEqual(['01-first-service', '02-hidden-checks', '03-escaping']);
    for (const f of ['index.html', 'concepts.html', 'grading.html', 'search.html', 'assets/css/site.css', 'assets/js/search.js', 'assets/js/search-index.js', 'labs/01-first-service/index.html', 'labs/01-first-service/starter/extra/client.yaml', 'labs/01-first-service/01-first-service-starter.zip', 'labs/01-first-service/media/diagram.svg']) {
      expect(tree.has(f), f).toBe(true);
    }
  });

  it('publishes starter files byte for byte', async () => {
    const disk = await readFile(path.join(fixtureLabs, '01-first-service', 'starter', 'web.yaml'));
    expect(tree.get('labs/01-first-service/starter/web.yaml')!.equals(disk)).toBe(true);
  });

  it('lists every lab on the home page with number, difficulty and time', () => {
    const home = tree.get('index.html')!.toString();
    expect(home).toContain('A first Service');
    expect(home).toContain('Spreading load');
    expect(home).toContain('href="labs/03-escaping/index.html"');
    expect(home).toContain('1 h 15 min');
    expect(home).toContain('Intermediate');
  });

  it('shows visible checks with points and hidden ones only as a count', () => {
    const page = tree.get('labs/02-hidden-checks/index.html')!.toString();
    expect(page).toContain('Requests reach every ready pod');
    expect(page).toContain('3 points');
    expect(page).toContain('2 hidden checks');
    for (const [file, bytes] of tree) {
      const text = bytes.toString('latin1');
      expect(text, file).not.toMatch(/SECRET-HIDDEN|secret-hidden-id|another-hidden/);
    }
  });

  it('escapes lab content: no script, img or iframe markup from a lab reaches a page', () => {
    for (const [file, bytes] of tree) {
      if (!file.endsWith('.html')) continue;
      const html = bytes.toString();
      const scripts = html.match(/<script\b[^>]*>/gi) ?? [];
      for (const s of scripts) expect(s, file).toMatch(/^<script src="(\.\.\/\.\.\/)?assets\/js\/(search-index|search)\.js">$/);
      expect(html, file).not.toMatch(/<(img|iframe)\b[^>]*(onerror|example\.com)/i);
      expect(html, file).not.toMatch(/href="(javascript|data):/i);
    }
    const page = tree.get('labs/03-escaping/index.html')!.toString();
    expect(page).toContain('<h1>&lt;script&gt;window.__pwned');
    expect(page).toContain('&lt;script&gt;window.__pwned = &quot;readme&quot;&lt;/script&gt;');
    expect(page).toContain('{{handlebars}}');
  });

  it('maps README links to published files and other labs', () => {
    const page = tree.get('labs/01-first-service/index.html')!.toString();
    expect(page).toContain('<a href="starter/web.yaml">the starter</a>');
    expect(page).toContain('<a href="../02-hidden-checks/index.html">next lab</a>');
    expect(page).toContain('<img src="media/diagram.svg" alt="How a request reaches a pod"');
    expect(result.warnings.some((w) => w.includes('solution/web.yaml'))).toBe(true);
  });

  it('indexes concepts with the labs that teach them', () => {
    const concepts = tree.get('concepts.html')!.toString();
    const clusterip = concepts.slice(concepts.indexOf('id="concept-service-clusterip"'));
    const section = clusterip.slice(0, clusterip.indexOf('</section>'));
    expect(section).toContain('labs/01-first-service/index.html');
    expect(section).toContain('labs/02-hidden-checks/index.html');
    expect(section).not.toContain('labs/03-escaping/index.html');
    expect(section).toContain('A Service gives pods one stable <code>ClusterIP</code> and name');
    expect(concepts).toContain('&lt;script&gt;window.__pwned = &quot;curriculum&quot;&lt;/script&gt; resolution');
    // The checks column of the curriculum (hidden ids among them) is never read.
    expect(concepts).not.toContain('secret-hidden-id');
  });

  it('writes the search index as a script with labs and concepts', () => {
    const js = tree.get('assets/js/search-index.js')!.toString();
    const data = JSON.parse(js.slice(js.indexOf('{'), js.lastIndexOf('}') + 1)) as { docs: { type: string; url: string; tags: string[] }[] };
    expect(data.docs.filter((d) => d.type === 'lab').map((d) => d.url)).toEqual(['labs/01-first-service/index.html', 'labs/02-hidden-checks/index.html', 'labs/03-escaping/index.html']);
    expect(data.docs.find((d) => d.url === 'labs/02-hidden-checks/index.html')!.tags).toContain('kube-proxy');
    expect(data.docs.some((d) => d.type === 'concept' && d.url === 'concepts.html#concept-dns')).toBe(true);
  });
});

describe('determinism and incremental writes', () => {
  it('two builds are byte-identical, and a rebuild rewrites nothing', async () => {
    const a = await temp('site-a');
    const b = await temp('site-b');
    const first = await buildSite(siteOptions(fixtureLabs, a));
    await buildSite(siteOptions(fixtureLabs, b));
    const ta = await readTree(a);
    // The summary line must add up: a fresh build writes every file the folder ends up with.
    expect(first.stats.written).toBe(ta.size);
    expect(first.stats.files).toBe(ta.size);
    const tb = await readTree(b);
    expect([...ta.keys()].sort()).toEqual([...tb.keys()].sort());
    for (const [f, bytes] of ta) expect(bytes.equals(tb.get(f)!), f).toBe(true);
    const again = await buildSite(siteOptions(fixtureLabs, a));
    expect(again.stats.written).toBe(0);
    expect(again.stats.removed).toBe(0);
  });

  it('removes files a previous build left behind', async () => {
    const out = await temp('site-stale');
    await buildSite(siteOptions(fixtureLabs, out));
    await mkdir(path.join(out, 'labs', '99-gone'), { recursive: true });
    await writeFile(path.join(out, 'labs', '99-gone', 'index.html'), 'old');
    const r = await buildSite(siteOptions(fixtureLabs, out));
    expect(r.stats.removed).toBe(1);
    expect((await readTree(out)).has('labs/99-gone/index.html')).toBe(false);
  });

  it('refuses to write into a folder that is not a site build', async () => {
    const out = await temp('not-site');
    await writeFile(path.join(out, 'precious.txt'), 'keep me');
    await expect(buildSite(siteOptions(fixtureLabs, out))).rejects.toThrow(/not a site build/);
    expect(await readFile(path.join(out, 'precious.txt'), 'utf8')).toBe('keep me');
  });
});

describe('broken labs', () => {
  it('names the broken lab with file:line and builds the others', async () => {
    const root = await labsWithBroken();
    temps.push(root);
    const out = await temp('site-broken');
    const r = await buildSite(siteOptions(root, out));
    expect(r.labs).toHaveLength(3);
    expect(r.errors).toHaveLength(1);
    const e = r.errors[0]!;
    expect(e.folder).toBe('04-broken');
    expect(e.error.file).toBe(path.join(root, '04-broken', 'lab.yaml'));
    expect(e.error.line).toBe(7);
    expect(e.error.problem).toMatch(/difficulty/);
    const tree = await readTree(out);
    expect(tree.has('labs/01-first-service/index.html')).toBe(true);
    expect(tree.has('labs/04-broken/index.html')).toBe(false);
  });

  it('reports a duplicate lab id and keeps the first lab', async () => {
    const root = await temp('labs-dup');
    await cp(fixtureLabs, root, { recursive: true });
    await cp(path.join(fixtureLabs, '01-first-service'), path.join(root, '05-copy'), { recursive: true });
    const r = await buildSite(siteOptions(root, await temp('site-dup')));
    expect(r.errors.map((e) => [e.folder, e.error.line, e.error.problem])).toEqual([['05-copy', 1, 'lab id 1 is already used by 01-first-service']]);
    expect(r.labs.map((l) => l.folder)).toEqual(['01-first-service', '02-hidden-checks', '03-escaping']);
  });

  it('npm run site exits non-zero and prints file:line and the problem', async () => {
    const root = await labsWithBroken();
    temps.push(root);
    const out = await temp('site-cli');
    const r = await execa('node', ['--import', 'tsx', path.join(repoRoot, 'grader', 'cli', 'site.ts'), '--labs', root, '--out', out], { reject: false, cwd: repoRoot });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/04-broken[/\\]lab\.yaml:7: lab\.yaml field difficulty/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toContain('Built 3 labs');
    expect((await readTree(out)).has('index.html')).toBe(true);
  });
});
