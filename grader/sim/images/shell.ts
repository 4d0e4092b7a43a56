/**
 * What a command line does, read the way a student writes them in a pod spec: `sleep 3600`,
 * `sh -c "echo hi > /data/x; sleep infinity"`, `ncat --listen --keep-open 3307`,
 * `python3 -m http.server 8000`, `exit 1`. This is not a shell: it recognises the usual
 * patterns to decide whether the process keeps running, exits (0 or not), listens on a port,
 * or writes files — enough for tool images (busybox, curl, netshoot) and overridden commands.
 */
import type { ContainerFiles, Listener } from './types.ts';

export interface ShellFacts {
  /** The process stays up (sleep, tail -f, a loop, a listener). */
  runs: boolean;
  /** Exits with a non-zero status: the message printed, if any. */
  fails?: string;
  listeners: Listener[];
  /** `echo text > /path` and `>>` redirections, in order. */
  writes: { path: string; data: string; append: boolean }[];
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

export function basename(p: string): string {
  return p.split('/').pop() ?? p;
}

/** The script text of an argv: `sh -c "<script>"` → script; other argv → joined words. */
export function scriptOf(argv: string[]): string {
  if (argv.length === 0) return '';
  if (SHELLS.has(basename(argv[0]!))) {
    const i = argv.indexOf('-c');
    if (i >= 0) return argv.slice(i + 1).join(' ');
    const j = argv.findIndex((a, k) => k > 0 && /^-[a-z]*c$/.test(a));
    if (j >= 0) return argv.slice(j + 1).join(' ');
    return argv.slice(1).join(' ');
  }
  return argv.join(' ');
}

function unquote(s: string): string {
  const t = s.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  return t;
}

export function analyseScript(script: string): ShellFacts {
  const listeners: Listener[] = [];
  const add = (port: number, app: Listener['app'], protocol: 'TCP' | 'UDP' = 'TCP') => {
    if (port > 0 && port < 65536 && !listeners.some((l) => l.port === port && l.protocol === protocol)) listeners.push({ port, protocol, app });
  };
  let m: RegExpExecArray | null;
  const ncat = /\b(?:ncat|nc|netcat)\b([^;&|\n]*)/g;
  while ((m = ncat.exec(script))) {
    const a = m[1]!;
    if (!/(^|\s)(--listen|-[a-zA-Z]*l[a-zA-Z]*)(\s|$)/.test(a)) continue;
    const p = /(?:-p\s+|--port[= ])(\d+)/.exec(a) ?? /(?:^|\s)(\d{2,5})(?:\s|$)/.exec(a);
    if (p) add(Number(p[1]), 'tcp', /(^|\s)-[a-zA-Z]*u/.test(a) ? 'UDP' : 'TCP');
  }
  const httpServer = /python[0-9.]*\s+-m\s+(?:http\.server|SimpleHTTPServer)(?:\s+(\d+))?/g;
  while ((m = httpServer.exec(script))) add(Number(m[1] ?? 8000), 'http');
  const bbHttpd = /\bhttpd\b[^;&|\n]*?-p\s+(?:[\d.]+:)?(\d+)/g;
  while ((m = bbHttpd.exec(script))) add(Number(m[1]), 'http');
  const socat = /TCP[46]?-LISTEN:(\d+)/gi;
  while ((m = socat.exec(script))) add(Number(m[1]), 'tcp');

  const writes: ShellFacts['writes'] = [];
  const redir = /\b(?:echo|printf)\s+((?:"[^"]*"|'[^']*'|[^>;&|\n])*?)\s*(>>?)\s*([^\s;&|]+)/g;
  while ((m = redir.exec(script))) {
    let text = unquote(m[1]!.replace(/^-[neE]+\s+/, ''));
    if (!/^printf/.test(m[0])) text += '\n';
    writes.push({ path: unquote(m[3]!), data: text, append: m[2] === '>>' });
  }

  const sleeps = [...script.matchAll(/\bsleep\s+(infinity|inf|\d+(?:\.\d+)?[smhd]?)/g)].map((x) => x[1]!);
  const longSleep = sleeps.some((s) => /^inf/.test(s) || /[mhd]$/.test(s) || Number(s.replace(/s$/, '')) >= 30);
  const loop = /\bwhile\s+(true|:|\[|sleep)|\buntil\s+false\b|\bfor\s*\(\(\s*;\s*;\s*\)\)/.test(script);
  const tail = /\btail\s+(-f|-F|--follow)/.test(script);
  const waitForever = /\b(pause|wait)\s*$/.test(script.trim()) || /\bcat\s*$/.test(script.trim());
  const runs = listeners.length > 0 || longSleep || loop || tail || waitForever;
  // Only an unconditional `exit N` counts: `[[ … ]] || exit 1` and `then exit 1` are guards.
  const exit = /(?:^|[;\n])\s*exit\s+([1-9]\d*)\b/.exec(script) ?? (/(^|;\s*)false\s*$/.test(script.trim()) ? ['', '1'] : null);
  const fails = !runs && exit ? `exit status ${exit[1]}` : undefined;
  return { runs, fails, listeners, writes };
}

export function applyWrites(facts: ShellFacts, files: ContainerFiles | undefined): void {
  if (!files) return;
  for (const w of facts.writes) files.write(w.path, w.data, w.append);
}

/** What a script prints to stdout (kubectl logs): `cat FILE…` and `echo TEXT` not redirected or piped. */
export type ShellOutput = { file: string } | { text: string };

/** Split a script into simple commands at `;`, `&&`, `||`, `|`, `&` and newlines, outside quotes; marks piped ones. */
function simpleCommands(script: string): { words: string[]; piped: boolean; redirected: boolean }[] {
  const out: { words: string[]; piped: boolean; redirected: boolean }[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let redirected = false;
  let quote: '"' | "'" | undefined;
  const endWord = () => { if (inWord) words.push(word); word = ''; inWord = false; };
  const endCmd = (piped: boolean) => { endWord(); if (words.length) out.push({ words, piped, redirected }); words = []; redirected = false; };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
      continue;
    }
    if (ch === '"' || ch === "'") { quote = ch; inWord = true; continue; }
    if (ch === '\\' && i + 1 < script.length) { word += script[++i]; inWord = true; continue; }
    if (ch === '|' && script[i + 1] !== '|') { endCmd(true); continue; }
    if (ch === ';' || ch === '\n' || ch === '&' || ch === '|') {
      if ((ch === '&' || ch === '|') && script[i + 1] === ch) i++;
      endCmd(false);
      continue;
    }
    if (ch === '>' || ch === '<') { redirected ||= ch === '>'; endWord(); continue; }
    if (/\s/.test(ch)) { endWord(); continue; }
    word += ch;
    inWord = true;
  }
  endCmd(false);
  return out;
}

/** The words of the script's last simple command: its exit status is the script's (no `set -e`). */
export function lastCommand(script: string): string[] | undefined {
  return simpleCommands(script).at(-1)?.words;
}

/** curl and wget options that take a value, so that value is not mistaken for the URL. */
const VALUE_OPTIONS = new Set([
  '-o', '-O', '-w', '-H', '-X', '-d', '-u', '-A', '-e', '-m', '-T', '-U', '-Y', '-b', '-c', '-x', '-P',
  '--output', '--write-out', '--header', '--request', '--data', '--user', '--user-agent', '--referer', '--max-time',
  '--connect-timeout', '--retry', '--cookie', '--cookie-jar', '--proxy', '--resolve', '--output-document', '--timeout',
]);

export interface FetchCommand {
  tool: 'curl' | 'wget';
  host: string;
  port: number;
  /** As the student wrote it, for the tool's messages. */
  target: string;
  /** The URL requested (scheme added when the student left it out, as curl and wget do). */
  url: string;
  /** curl -f / --fail: an HTTP error status (400 and above) fails the command with exit 22. */
  fail: boolean;
  /** Redirects are followed: curl -L / --location; busybox wget always. */
  follow: boolean;
  /** curl -k / --insecure: the server's certificate is not verified. */
  insecure: boolean;
}

/** A short-option word (`-fsSL`) holding the letter, or the long option itself. */
function hasFlag(words: string[], letter: string, ...long: string[]): boolean {
  return words.some((w) => long.includes(w) || (/^-[a-zA-Z]+$/.test(w) && w.includes(letter)));
}

/** A one-shot `curl URL` or `wget URL` as the script's last command, with where it connects. */
export function fetchCommandOf(script: string): FetchCommand | undefined {
  const words = lastCommand(script);
  const tool = words ? basename(words[0] ?? '') : '';
  if (!words || (tool !== 'curl' && tool !== 'wget')) return undefined;
  let target: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (/^https?:\/\//i.test(w)) {
      target = w;
      break;
    }
    if (!w.startsWith('-') && !VALUE_OPTIONS.has(words[i - 1]!) && target === undefined) target = w;
  }
  if (!target) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target : `http://${target}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const opts = words.slice(1);
  return {
    tool,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    target,
    url: url.href,
    fail: tool === 'curl' && hasFlag(opts, 'f', '--fail', '--fail-with-body'),
    follow: tool === 'wget' || hasFlag(opts, 'L', '--location'),
    insecure: tool === 'curl' && hasFlag(opts, 'k', '--insecure'),
  };
}

export function shellOutput(script: string, env: Record<string, string> = {}): ShellOutput[] {
  const out: ShellOutput[] = [];
  const expand = (w: string) => w.replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a, b) => env[a ?? b] ?? '');
  for (const cmd of simpleCommands(script)) {
    if (cmd.piped || cmd.redirected) continue;
    const [prog, ...args] = cmd.words;
    const name = basename(prog ?? '');
    if (name === 'cat') for (const a of args) if (!a.startsWith('-')) out.push({ file: expand(a) });
    if (name === 'echo') {
      let i = 0;
      let newline = true;
      while (i < args.length && /^-[neE]+$/.test(args[i]!)) { if (args[i]!.includes('n')) newline = false; i++; }
      out.push({ text: args.slice(i).map(expand).join(' ') + (newline ? '\n' : '') });
    }
  }
  return out;
}

/** The log lines of a script's output, reading files through the container's file system (busybox's messages). */
export function outputLines(outputs: ShellOutput[], files: ContainerFiles | undefined): string[] {
  let text = '';
  for (const o of outputs) {
    if ('text' in o) text += o.text;
    else {
      const data = files?.read(o.file);
      text += data ?? `cat: can't open '${o.file}': No such file or directory\n`;
    }
  }
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
