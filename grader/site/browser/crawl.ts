/**
 * Walks a built site in the browser from index.html, following every internal link, and
 * checks that each href/src target exists on disk (and each #fragment exists on its page).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export interface CrawlResult {
  /** Pages visited, as paths relative to the site root. */
  pages: string[];
  /** Human-readable problems: missing targets, missing anchors, external resources. */
  problems: string[];
}

interface PageRefs {
  ids: string[];
  links: { attr: string; tag: string; value: string; url: string }[];
}

async function refsOf(page: Page): Promise<PageRefs> {
  return page.evaluate(() => {
    const links: { attr: string; tag: string; value: string; url: string }[] = [];
    for (const el of Array.from(document.querySelectorAll('[href], [src]'))) {
      for (const attr of ['href', 'src']) {
        const value = el.getAttribute(attr);
        if (value === null) continue;
        links.push({ attr, tag: el.tagName.toLowerCase(), value, url: new URL(value, document.baseURI).href });
      }
    }
    return { ids: Array.from(document.querySelectorAll('[id]')).map((e) => e.id), links };
  });
}

export async function crawlSite(context: BrowserContext, root: string, visit?: (page: Page, rel: string) => Promise<void>): Promise<CrawlResult> {
  const start = pathToFileURL(path.join(root, 'index.html')).href;
  const queue = [start];
  const seen = new Set(queue);
  const idsByPage = new Map<string, Set<string>>();
  const fragments: { from: string; page: string; id: string }[] = [];
  const problems: string[] = [];
  const rel = (u: string) => path.relative(root, fileURLToPath(u)).split(path.sep).join('/');
  const page = await context.newPage();
  try {
    while (queue.length) {
      const url = queue.shift()!;
      await page.goto(url);
      const here = rel(url);
      const refs = await refsOf(page);
      idsByPage.set(url, new Set(refs.ids));
      for (const l of refs.links) {
        const target = new URL(l.url);
        if (target.protocol !== 'file:') {
          // Outside links are fine as plain <a> links; anything the page would load must ship with the site.
          if (l.tag !== 'a' || !/^(https?|mailto):$/.test(target.protocol)) problems.push(`${here}: <${l.tag} ${l.attr}="${l.value}"> loads from outside the site`);
          continue;
        }
        const hash = decodeURIComponent(target.hash.slice(1));
        target.hash = '';
        target.search = '';
        const file = fileURLToPath(target);
        if (!file.startsWith(root + path.sep) && file !== root) {
          problems.push(`${here}: ${l.attr}="${l.value}" points outside the site`);
          continue;
        }
        if (!existsSync(file)) {
          problems.push(`${here}: ${l.attr}="${l.value}" → ${rel(target.href)} does not exist`);
          continue;
        }
        if (file.endsWith('.html')) {
          if (hash) fragments.push({ from: here, page: target.href, id: hash });
          if (l.tag === 'a' && !seen.has(target.href)) {
            seen.add(target.href);
            queue.push(target.href);
          }
        }
      }
      if (visit) await visit(page, here);
    }
  } finally {
    await page.close();
  }
  for (const f of fragments) {
    if (!idsByPage.get(f.page)?.has(f.id)) problems.push(`${f.from}: link to ${rel(f.page)}#${f.id}, which has no element with that id`);
  }
  return { pages: [...idsByPage.keys()].map(rel).sort(), problems };
}
