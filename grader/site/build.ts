/**
 * Builds the course site from `labs/` and `templates/` into plain static files: pages,
 * starter downloads and archives, the search index and the assets from `site/`. The output
 * depends only on the inputs (no clock, sorted everything), so two builds are byte-identical.
 * A broken lab is reported and left out; the others are still built.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { listLabs, type Lab } from '../lab/load.ts';
import { LabDefinitionError } from '../errors.ts';
import { conceptIndex } from './concepts.ts';
import { readConceptDescriptions } from './curriculum.ts';
import { inlineCode } from './escape.ts';
import { byPath, isText, listStarter } from './files.ts';
import { highlight, loadHighlighter } from './highlight.ts';
import { renderReadme } from './markdown.ts';
import { checkSummary, clusterDescription, labHref, labSummary, plural, sizeLabel, timeLabel, type LabSummary } from './model.ts';
import { loadTemplates, type Templates } from './render.ts';
import { conceptDoc, labDoc, searchIndexScript, type SearchDoc } from './search-index.ts';
import { writeSite, type WriteStats } from './output.ts';
import { zipStarter } from './archive.ts';

export interface SiteOptions {
  labsRoot: string;
  templatesDir: string;
  /** Static assets (css, js): everything in it except `dist/` is copied to `assets/`. */
  assetsDir: string;
  outDir: string;
  /** Optional docs/curriculum.md: its concept map gives each concept id a description. */
  conceptsFile?: string;
}

export interface LabProblem {
  folder: string;
  error: LabDefinitionError;
}

export interface GeneratedSite {
  /** Output path (posix, relative to the site root) → bytes. */
  files: Map<string, Buffer>;
  labs: Lab[];
  errors: LabProblem[];
  /** Non-fatal: links and images in READMEs that could not be kept. */
  warnings: string[];
}

export interface BuildResult extends GeneratedSite {
  stats: WriteStats;
}

/** Ids the page templates use; README headings never take them. */
const reservedIds = new Set(['main-content', 'lab-run', 'lab-instructions', 'lab-starter', 'lab-checks', 'lab-cluster', 'site-search', 'search-q', 'search-results', 'search-status']);

/** The lab page's location relative to the root, for `root`. */
const labRoot = '../../';

async function copyAssets(dir: string, files: Map<string, Buffer>): Promise<void> {
  async function walk(rel: string): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(path.join(dir, rel))).sort(byPath);
    } catch {
      return;
    }
    for (const name of names) {
      const r = rel ? `${rel}/${name}` : name;
      if (r === 'dist' || name.startsWith('.')) continue;
      const abs = path.join(dir, r);
      if ((await stat(abs)).isDirectory()) await walk(r);
      else files.set(`assets/${r}`, await readFile(abs));
    }
  }
  await walk('');
}

/** Line of `id:` in lab.yaml, so a duplicate id error points at it. */
async function idLine(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const i = text.split('\n').findIndex((l) => /^id\s*:/.test(l));
  return i >= 0 ? i + 1 : undefined;
}

/** Drops labs whose id another (earlier-folder) lab already has; `npm run lab N` must be unambiguous. */
async function dedupe(labs: Lab[], errors: LabProblem[]): Promise<Lab[]> {
  const seen = new Map<number, Lab>();
  const keep: Lab[] = [];
  for (const lab of [...labs].sort((a, b) => a.spec.id - b.spec.id || byPath(a.folder, b.folder))) {
    const first = seen.get(lab.spec.id);
    if (first) {
      const file = path.join(lab.dir, 'lab.yaml');
      errors.push({ folder: lab.folder, error: new LabDefinitionError(file, await idLine(file), `lab id ${lab.spec.id} is already used by ${first.folder}`, 'give every lab its own id') });
      continue;
    }
    seen.set(lab.spec.id, lab);
    keep.push(lab);
  }
  return keep;
}

interface LabPage {
  summary: LabSummary;
  doc: SearchDoc;
  files: Map<string, Buffer>;
  warnings: string[];
}

async function buildLab(lab: Lab, labs: Lab[], index: number, t: Templates): Promise<LabPage> {
  const files = new Map<string, Buffer>();
  const warnings: string[] = [];
  const highlighter = await loadHighlighter();
  const base = `labs/${lab.folder}`;
  const starter = await listStarter(lab.starterDir);
  const starterRel = new Set(starter.map((f) => `starter/${f.rel}`));
  const folders = new Map(labs.map((l) => [l.folder, l]));
  const readme = renderReadme(lab.readme, {
    highlighter,
    starterFiles: starterRel,
    labHref: (folder) => (folders.has(folder) ? `../${encodeURIComponent(folder)}/index.html` : undefined),
    fileExists: (rel) => existsSync(path.join(lab.dir, rel)),
    reservedIds,
  });
  for (const w of readme.warnings) warnings.push(`${path.join(lab.folder, 'README.md')}: ${w}`);
  for (const img of readme.images) files.set(`${base}/media/${img}`, await readFile(path.join(lab.dir, img)));

  for (const f of starter) files.set(`${base}/starter/${f.rel}`, f.bytes);
  const zipName = `${lab.folder}-starter.zip`;
  let zip: { href: string; name: string; sizeLabel: string } | undefined;
  if (starter.length) {
    const bytes = await zipStarter(lab.folder, starter);
    files.set(`${base}/${zipName}`, bytes);
    zip = { href: encodeURIComponent(zipName), name: zipName, sizeLabel: sizeLabel(bytes.length) };
  }

  const summary = labSummary(lab);
  const checks = checkSummary(lab);
  const prev = labs[index - 1];
  const next = labs[index + 1];
  const html = t.render('lab', {
    title: `Lab ${lab.spec.id}: ${lab.spec.title}`,
    description: lab.spec.summary,
    root: labRoot,
    section: 'labs',
    lab: summary,
    readmeHtml: readme.html,
    toc: readme.headings.filter((h) => h.depth === 3),
    starter: starter.map((f) => ({
      rel: f.rel,
      href: `starter/${f.rel.split('/').map(encodeURIComponent).join('/')}`,
      sizeLabel: sizeLabel(f.bytes.length),
      codeHtml: isText(f.bytes) && f.bytes.length <= 64 * 1024 ? highlight(highlighter, f.bytes.toString('utf8'), path.extname(f.rel).slice(1)) : undefined,
    })),
    zip,
    checks,
    hiddenLabel: plural(checks.hiddenCount, 'hidden check', 'hidden checks'),
    visiblePointsLabel: plural(checks.visiblePoints, 'point', 'points'),
    cluster: clusterDescription(lab),
    command: `npm run lab ${lab.spec.id}`,
    submissionCommand: `npm run lab -- ${lab.spec.id} --submission ${lab.folder}/`,
    prev: prev && { href: `${labRoot}${labHref(prev)}`, title: prev.spec.title, id: prev.spec.id },
    next: next && { href: `${labRoot}${labHref(next)}`, title: next.spec.title, id: next.spec.id },
  });
  files.set(`${base}/index.html`, Buffer.from(html));
  return { files, warnings, summary, doc: labDoc(summary, readme.headings.map((h) => h.text), `${lab.spec.title} ${lab.spec.summary} ${readme.plainText}`) };
}

/** Everything the site consists of, in memory. */
export async function generateSite(opts: Omit<SiteOptions, 'outDir'>): Promise<GeneratedSite> {
  const listed = await listLabs(opts.labsRoot);
  const errors: LabProblem[] = [...listed.errors];
  const candidates = await dedupe(listed.labs, errors);
  const t = await loadTemplates(opts.templatesDir);
  const files = new Map<string, Buffer>();
  const warnings: string[] = [];
  await copyAssets(opts.assetsDir, files);

  // Render each lab on its own: an unexpected failure in one lab's content drops that lab only.
  let labs = candidates;
  let pages: LabPage[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const ok: Lab[] = [];
    pages = [];
    for (const [i, lab] of labs.entries()) {
      try {
        pages.push(await buildLab(lab, labs, i, t));
        ok.push(lab);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        errors.push({ folder: lab.folder, error: err instanceof LabDefinitionError ? err : new LabDefinitionError(lab.dir, undefined, `cannot be published: ${message}`) });
      }
    }
    // A dropped lab would leave prev/next links to it: render the survivors again without it.
    if (ok.length === labs.length) break;
    labs = ok;
  }
  for (const p of pages) {
    for (const [k, v] of p.files) files.set(k, v);
    warnings.push(...p.warnings);
  }

  const summaries = pages.map((p) => p.summary);
  const descriptions = await readConceptDescriptions(opts.conceptsFile);
  const concepts = conceptIndex(labs).map((c) => ({ ...c, description: descriptions.get(c.id) }));
  const totalMinutes = labs.reduce((n, l) => n + l.spec.estimatedMinutes, 0);
  files.set(
    'index.html',
    Buffer.from(
      t.render('home', {
        title: 'Kubernetes networking, lab by lab',
        description: 'A hands-on course: write manifests, and a grader checks what they do on a cluster.',
        root: '',
        section: 'home',
        labs: summaries,
        labCount: plural(labs.length, 'lab', 'labs'),
        conceptCount: plural(concepts.length, 'concept', 'concepts'),
        totalTime: timeLabel(totalMinutes),
        first: summaries[0],
      }),
    ),
  );
  files.set(
    'concepts.html',
    Buffer.from(
      t.render('concepts', {
        title: 'Concept index',
        description: 'Every concept of the course and the labs that teach it.',
        root: '',
        section: 'concepts',
        concepts: concepts.map((c) => ({ ...c, descriptionHtml: c.description && inlineCode(c.description), labs: c.labs.map(labSummary) })),
      }),
    ),
  );
  files.set('grading.html', Buffer.from(t.render('grading', { title: 'How grading works', description: 'The simulated cluster, kind, and how to read a report.', root: '', section: 'grading' })));
  files.set('search.html', Buffer.from(t.render('search', { title: 'Search', description: 'Search labs and concepts.', root: '', section: 'search' })));
  const docs = [...pages.map((p) => p.doc), ...concepts.map((c) => conceptDoc(c, c.labs.map((l) => `Lab ${l.spec.id}: ${l.spec.title}`), c.description))];
  files.set('assets/js/search-index.js', Buffer.from(searchIndexScript(docs)));
  errors.sort((a, b) => byPath(a.folder, b.folder));
  return { files, labs, errors, warnings };
}

export async function buildSite(opts: SiteOptions): Promise<BuildResult> {
  const site = await generateSite(opts);
  const stats = await writeSite(opts.outDir, site.files);
  return { ...site, stats };
}
