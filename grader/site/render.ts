/**
 * Handlebars over `templates/`: `layouts/base.hbs` wraps every page, `pages/<name>.hbs` is a
 * page body, `partials/<name>.hbs` are shared pieces. `{{ }}` escapes lab text; the only
 * triple-stashes carry HTML this builder produced itself (rendered README, highlighted code).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Handlebars from 'handlebars';
import { byPath } from './files.ts';

export interface PageContext {
  /** Text of <title> before the site name. */
  title: string;
  description: string;
  /** Prefix from this page to the site root: '' or '../../'. */
  root: string;
  /** Which top navigation entry is current: home, concepts, grading, search. */
  section: string;
  [key: string]: unknown;
}

export interface Templates {
  render(page: string, ctx: PageContext): string;
}

async function hbsFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.hbs')).sort(byPath);
  } catch {
    return [];
  }
}

export async function loadTemplates(dir: string): Promise<Templates> {
  const hb = Handlebars.create();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  for (const f of await hbsFiles(path.join(dir, 'partials'))) {
    hb.registerPartial(f.slice(0, -4), await readFile(path.join(dir, 'partials', f), 'utf8'));
  }
  const compile = (src: string) => hb.compile(src, { strict: false, preventIndent: true });
  const pages = new Map<string, HandlebarsTemplateDelegate>();
  for (const f of await hbsFiles(path.join(dir, 'pages'))) pages.set(f.slice(0, -4), compile(await readFile(path.join(dir, 'pages', f), 'utf8')));
  let layoutSrc: string;
  try {
    layoutSrc = await readFile(path.join(dir, 'layouts', 'base.hbs'), 'utf8');
  } catch {
    throw new Error(`templates: ${path.join(dir, 'layouts', 'base.hbs')} is missing`);
  }
  const layout = compile(layoutSrc);
  return {
    render(page, ctx) {
      const body = pages.get(page);
      if (!body) throw new Error(`templates: ${path.join(dir, 'pages', `${page}.hbs`)} is missing`);
      return layout({ ...ctx, body: body(ctx) });
    },
  };
}
