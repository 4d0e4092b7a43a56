#!/usr/bin/env node
/**
 * Starts a CLI command from a bundle built on demand. Loading ~300 TypeScript modules through
 * tsx's loader costs most of a second; one pre-bundled file loads in a few milliseconds. The
 * bundle is rebuilt (esbuild, well under a second) whenever a source file is newer, so there is
 * never a manual build step and never a stale bundle. Plain JavaScript: it runs before any
 * TypeScript tooling is loaded.
 *
 *   node grader/cli/launch.mjs lab [args…]
 */
import { readdirSync, statSync, renameSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const grader = path.resolve(here, '..');
const [command, ...args] = process.argv.slice(2);
const ENTRIES = new Set(['lab']);

if (!ENTRIES.has(command ?? '')) {
  process.stderr.write(`error: launch.mjs runs one of: ${[...ENTRIES].join(', ')}\n`);
  process.exit(2);
}

/** Newest modification time of the grader's sources (tests excluded) and the lockfile. */
function newestSource(dir, newest = 0) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'fixtures') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = newestSource(p, newest);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

// The bundle sits beside its entry so paths computed from import.meta.url stay the same.
const entry = path.join(here, `${command}.ts`);
const bundle = path.join(here, `.${command}.bundle.mjs`);
const lock = path.resolve(grader, '..', 'package-lock.json');
const sourcesAt = Math.max(newestSource(grader), existsSync(lock) ? statSync(lock).mtimeMs : 0, statSync(fileURLToPath(import.meta.url)).mtimeMs);
if (!existsSync(bundle) || statSync(bundle).mtimeMs < sourcesAt) {
  const { build } = await import('esbuild');
  const tmp = `${bundle}.${process.pid}.tmp`;
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Dependencies load from node_modules as usual; only our own sources are bundled.
    packages: 'external',
    outfile: tmp,
    logLevel: 'error',
  });
  renameSync(tmp, bundle);
}
const mod = await import(pathToFileURL(bundle).href);
await mod.runMain(args);
