import { describe, expect, it, beforeAll } from 'vitest';
import type { Highlighter } from 'shiki';
import { loadHighlighter } from './highlight.ts';
import { renderReadme, slugify, type ReadmeContext } from './markdown.ts';

let ctx: ReadmeContext;
beforeAll(async () => {
  const highlighter: Highlighter = await loadHighlighter();
  ctx = {
    highlighter,
    starterFiles: new Set(['starter/web.yaml', 'starter/dir/a b.yaml']),
    labHref: (f) => (f === '02-next' ? '../02-next/index.html' : undefined),
    fileExists: (rel) => rel === 'pic.png' || rel === 'solution/secret.png',
    reservedIds: new Set(['lab-starter']),
  };
});

describe('renderReadme', () => {
  it('escapes raw HTML, block and inline', () => {
    const r = renderReadme('<script>alert(1)</script>\n\nHi <img src=x onerror=alert(2)> there', ctx);
    expect(r.html).not.toMatch(/<script|<img/i);
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.html).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('drops unsafe link schemes and keeps safe external ones', () => {
    const r = renderReadme('[a](javascript:alert(1)) [b](data:text/html,x) [c](https://kubernetes.io/docs/) [d](mailto:x@example.com)', ctx);
    expect(r.html).not.toContain('javascript:');
    expect(r.html).not.toContain('data:');
    expect(r.html).toContain('<a href="https://kubernetes.io/docs/" rel="noopener noreferrer">c</a>');
    expect(r.html).toContain('href="mailto:x@example.com"');
    expect(r.warnings).toHaveLength(2);
  });

  it('maps links to published starter files and other labs, and unlinks the rest', () => {
    const r = renderReadme('[s](starter/web.yaml) [s2](./starter/dir/a%20b.yaml) [dir](starter/) [next](../02-next/README.md#top) [sol](solution/web.yaml) [gone](../99-none/)', ctx);
    expect(r.html).toContain('<a href="starter/web.yaml">s</a>');
    expect(r.html).toContain('<a href="starter/dir/a%20b.yaml">s2</a>');
    expect(r.html).toContain('<a href="#lab-starter">dir</a>');
    expect(r.html).toContain('<a href="../02-next/index.html#top">next</a>');
    expect(r.html).toContain('<span class="unlinked">sol</span>');
    expect(r.html).toContain('<span class="unlinked">gone</span>');
    expect(r.warnings.join('\n')).toContain('solution/web.yaml');
  });

  it('drops the leading h1, shifts headings below the page title and gives them unique ids', () => {
    const r = renderReadme('# Title\n\n## Steps\n\n## Steps\n\n### Lab starter\n\n## Lab starter', ctx);
    expect(r.html).not.toContain('Title');
    expect(r.headings.map((h) => [h.depth, h.id])).toEqual([
      [3, 'steps'],
      [3, 'steps-1'],
      [4, 'lab-starter-1'],
      [3, 'lab-starter-2'],
    ]);
  });

  it('highlights fenced code with light and dark colours, and escapes unknown languages', () => {
    const r = renderReadme('```yaml\nkind: Service\n```\n\n```weird\n<b>x</b>\n```', ctx);
    expect(r.html).toMatch(/class="shiki[^"]*github-light-default/);
    expect(r.html).toContain('--shiki-dark:');
    expect(r.html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('publishes local images only from the lab folder, never remote or solution ones', () => {
    const r = renderReadme('![pic](pic.png) ![remote](https://example.com/a.png) ![sol](solution/secret.png)', ctx);
    expect(r.images).toEqual(['pic.png']);
    expect(r.html).toContain('<img src="media/pic.png" alt="pic"');
    expect(r.html).not.toContain('example.com');
    expect(r.html).not.toContain('secret.png');
  });

  it('collects words for search', () => {
    expect(renderReadme('Some **headless** `Service` text', ctx).plainText).toMatch(/headless.*Service/);
  });
});

describe('slugify', () => {
  it('follows GitHub anchors', () => {
    expect(slugify('How a request finds a pod!')).toBe('how-a-request-finds-a-pod');
    expect(slugify('port vs. targetPort')).toBe('port-vs-targetport');
  });
});
