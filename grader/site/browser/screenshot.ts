/**
 * Takes docs/site-lab-page.png, the README's picture of a lab page:
 *   node --import tsx grader/site/browser/screenshot.ts [labs-root] [lab-folder]
 * Builds the site into a temporary folder, opens a lab page in headless Chromium and
 * captures the top of the page at laptop size.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSite } from '../build.ts';
import { launch } from './launch.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

async function main(): Promise<void> {
  const labsRoot = path.resolve(process.argv[2] ?? path.join(repo, 'labs'));
  const out = await mkdtemp(path.join(os.tmpdir(), 'kubelab-site-shot-'));
  const browser = await launch({ viewport: { width: 1280, height: 1000 } });
  try {
    const site = await buildSite({ labsRoot, templatesDir: path.join(repo, 'templates'), assetsDir: path.join(repo, 'site'), outDir: out });
    const lab = site.labs.find((l) => l.folder === process.argv[3]) ?? site.labs[0];
    if (!lab) throw new Error(`no lab to photograph under ${labsRoot}`);
    const page = await browser.context.newPage();
    await page.goto(pathToFileURL(path.join(out, 'labs', lab.folder, 'index.html')).href);
    const file = path.join(repo, 'docs', 'site-lab-page.png');
    await page.screenshot({ path: file });
    console.log(`wrote ${path.relative(process.cwd(), file)} (lab ${lab.folder})`);
  } finally {
    await browser.close();
    await rm(out, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
