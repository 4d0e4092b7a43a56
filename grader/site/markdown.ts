/**
 * Lab README → HTML for the lab page. Lab text is untrusted as markup: raw HTML in the
 * Markdown is shown as text (escaped), links only keep safe schemes, and relative links are
 * mapped to what the site publishes (starter files, other lab pages) or dropped, so a page
 * never links to a file that is not there.
 */
import path from 'node:path';
import { Marked, type Tokens } from 'marked';
import type { Highlighter } from 'shiki';
import { escapeHtml } from './escape.ts';
import { highlight } from './highlight.ts';

export interface ReadmeContext {
  highlighter: Highlighter;
  /** Lab-relative paths of published starter files (`starter/web.yaml`), for link mapping. */
  starterFiles: ReadonlySet<string>;
  /** Other labs by folder name → href from this lab's page. */
  labHref: (folder: string) => string | undefined;
  /** Does this lab-relative file exist (for images next to the README)? */
  fileExists: (rel: string) => boolean;
  /** Element ids the page template already uses; headings get a suffix instead. */
  reservedIds: ReadonlySet<string>;
}

export interface Heading {
  depth: number;
  text: string;
  id: string;
}

export interface RenderedReadme {
  html: string;
  headings: Heading[];
  /** Lab-relative files the page shows as images; the builder copies them to `media/`. */
  images: string[];
  /** Words of the text, for the search index. */
  plainText: string;
  /** Links that could not be kept (unsafe scheme, unpublished file), for the build log. */
  warnings: string[];
}

const imageExt = /\.(png|jpe?g|gif|svg|webp)$/i;
const externalScheme = /^(https?:|mailto:)/i;
const anyScheme = /^[a-z][a-z0-9+.-]*:/i;

/** GitHub-style heading slug, so in-README anchors (`#step-2`) keep working. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}

type Resolved = { kind: 'internal'; href: string } | { kind: 'external'; href: string } | { kind: 'none'; reason: string };

function encodePath(p: string): string {
  return p.split('/').map(encodeURIComponent).join('/');
}

export function renderReadme(markdown: string, ctx: ReadmeContext): RenderedReadme {
  const headings: Heading[] = [];
  const images = new Set<string>();
  const warnings: string[] = [];
  const words: string[] = [];
  const used = new Set(ctx.reservedIds);

  const uniqueId = (base: string): string => {
    const root = base || 'section';
    let id = root;
    for (let n = 1; used.has(id); n++) id = `${root}-${n}`;
    used.add(id);
    return id;
  };

  const resolve = (href: string): Resolved => {
    const raw = href.trim();
    if (raw.startsWith('#')) return { kind: 'internal', href: raw };
    if (externalScheme.test(raw)) return { kind: 'external', href: raw };
    if (anyScheme.test(raw) || raw.startsWith('//')) return { kind: 'none', reason: `unsafe or external link ${raw}` };
    const [pathPart = '', fragment] = raw.split('#', 2);
    let rel: string;
    try {
      rel = path.posix.normalize(decodeURIComponent(pathPart.split('?')[0]!)).replace(/\/$/, '');
    } catch {
      return { kind: 'none', reason: `malformed link ${raw}` };
    }
    const hash = fragment ? `#${fragment}` : '';
    if (rel === '.' || rel === 'README.md') return { kind: 'internal', href: hash || '#main-content' };
    if (rel === 'starter') return { kind: 'internal', href: '#lab-starter' };
    if (ctx.starterFiles.has(rel)) return { kind: 'internal', href: encodePath(rel) };
    const other = /^\.\.\/([^/]+)(?:\/(?:README\.md)?)?$/.exec(rel);
    if (other) {
      const target = ctx.labHref(other[1]!);
      if (target) return { kind: 'internal', href: target + hash };
    }
    return { kind: 'none', reason: `link to ${raw}, which the site does not publish` };
  };

  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    walkTokens(token) {
      if (token.type === 'text' || token.type === 'codespan' || token.type === 'code') words.push(token.text);
    },
    renderer: {
      // Raw HTML in a README is shown literally, never interpreted.
      html(token: Tokens.HTML | Tokens.Tag) {
        const text = escapeHtml(token.text);
        return 'block' in token && token.block ? `<p class="raw-html">${text.trim()}</p>\n` : text;
      },
      heading({ tokens, depth, text }: Tokens.Heading) {
        const inner = this.parser.parseInline(tokens);
        const id = uniqueId(slugify(text));
        // The page title is the h1; README headings sit one level below it.
        const level = Math.min(depth + 1, 6);
        headings.push({ depth: level, text: text.replace(/<[^>]*>/g, ''), id });
        return `<h${level} id="${escapeHtml(id)}">${inner}</h${level}>\n`;
      },
      code({ text, lang }: Tokens.Code) {
        return `<div class="code-block">${highlight(ctx.highlighter, text, lang)}</div>\n`;
      },
      link({ href, title, tokens }: Tokens.Link) {
        const inner = this.parser.parseInline(tokens);
        const r = resolve(href);
        const t = title ? ` title="${escapeHtml(title)}"` : '';
        if (r.kind === 'internal') return `<a href="${escapeHtml(r.href)}"${t}>${inner}</a>`;
        if (r.kind === 'external') return `<a href="${escapeHtml(r.href)}"${t} rel="noopener noreferrer">${inner}</a>`;
        warnings.push(r.reason);
        return `<span class="unlinked">${inner}</span>`;
      },
      image({ href, title, text }: Tokens.Image) {
        const alt = escapeHtml(text);
        const raw = href.trim();
        if (!anyScheme.test(raw) && !raw.startsWith('//') && !raw.startsWith('#')) {
          let rel = '';
          try {
            rel = path.posix.normalize(decodeURIComponent(raw.split(/[?#]/)[0]!));
          } catch {
            /* malformed: falls through to the text fallback */
          }
          const publishable = rel && !rel.startsWith('../') && !/^(solution|mutants)\//.test(rel) && imageExt.test(rel);
          if (publishable && ctx.fileExists(rel)) {
            images.add(rel);
            const t = title ? ` title="${escapeHtml(title)}"` : '';
            return `<img src="${escapeHtml(`media/${encodePath(rel)}`)}" alt="${alt}"${t} loading="lazy">`;
          }
        }
        // Remote images would be an external request; missing ones a broken page. Show the alt text.
        warnings.push(`image ${raw} is not a file in the lab folder; shown as its description`);
        return `<span class="image-missing">[${alt || 'image'}]</span>`;
      },
    },
  });

  let body = markdown;
  // The lab title from lab.yaml is the page's h1: drop the README's own leading h1.
  const lead = /^\s*#\s+[^\n]*\n/.exec(body);
  if (lead) body = body.slice(lead[0].length);
  const html = marked.parse(body) as string;
  const plainText = words.join(' ').replace(/\s+/g, ' ').trim();
  return { html, headings, images: [...images].sort(), plainText, warnings };
}
