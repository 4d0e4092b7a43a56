/**
 * Syntax highlighting at build time with shiki. The output is static HTML with inline colours
 * for the light theme and `--shiki-dark` custom properties that site.css switches to under
 * `prefers-color-scheme: dark`, so no highlighter ships to the browser.
 */
import { createHighlighter, type Highlighter } from 'shiki';
import { escapeHtml } from './escape.ts';

/** The -default GitHub themes keep comments above 4.5:1 contrast in both modes (axe checks it). */
const themes = { light: 'github-light-default', dark: 'github-dark-default' } as const;

/** Languages labs use; anything else is shown as escaped plain text. */
const languages = ['yaml', 'json', 'shellscript', 'shellsession', 'typescript', 'javascript', 'markdown', 'ini', 'dotenv', 'nginx', 'html', 'xml'] as const;

const aliases: Record<string, string> = {
  yml: 'yaml',
  sh: 'shellscript',
  bash: 'shellscript',
  shell: 'shellscript',
  zsh: 'shellscript',
  console: 'shellsession',
  ts: 'typescript',
  js: 'javascript',
  mjs: 'javascript',
  md: 'markdown',
  env: 'dotenv',
  conf: 'nginx',
};

let highlighter: Promise<Highlighter> | undefined;

/** Loads shiki once per process; the highlighter itself is synchronous afterwards. */
export function loadHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({ themes: Object.values(themes), langs: [...languages] });
  return highlighter;
}

/** Maps a fence info string or file extension to a loaded language, or undefined for plain text. */
export function languageFor(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const key = name.trim().toLowerCase().split(/\s+/)[0] ?? '';
  const lang = aliases[key] ?? key;
  return (languages as readonly string[]).includes(lang) ? lang : undefined;
}

/** Highlighted `<pre>`; shiki escapes the code itself. Plain text keeps the same frame and classes. */
export function highlight(h: Highlighter, code: string, lang: string | undefined): string {
  const text = code.replace(/\n$/, '');
  const resolved = languageFor(lang);
  if (!resolved) return `<pre class="shiki plain" tabindex="0"><code>${escapeHtml(text)}</code></pre>`;
  return h.codeToHtml(text, { lang: resolved, themes, defaultColor: 'light' });
}
