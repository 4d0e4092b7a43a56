/**
 * `npm run site`: builds the course site into site/dist/ from labs/ and templates/.
 * `--serve` previews it on a local port afterwards. Broken labs are named with file:line and
 * the problem; the rest of the site is still built, and the exit code says something failed.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { buildSite, serveSite } from '../site/index.ts';
import { ExitCode, formatError, KubelabError } from '../errors.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function portNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

/** Paths in messages relative to where the user ran the command. */
function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

async function main(): Promise<number> {
  const program = new Command()
    .name('npm run site --')
    .description('Build the course website (static files) from the labs.')
    .option('--labs <dir>', 'folder of labs', path.join(repo, 'labs'))
    .option('--templates <dir>', 'handlebars layouts, pages and partials', path.join(repo, 'templates'))
    .option('--assets <dir>', 'static assets (css, js, images)', path.join(repo, 'site'))
    .option('--out <dir>', 'output folder', path.join(repo, 'site', 'dist'))
    .option('--curriculum <file>', 'concept descriptions (its concept-map tables)', path.join(repo, 'docs', 'curriculum.md'))
    .option('--serve', 'after building, serve the site on a local port')
    .option('--port <n>', 'port for --serve', portNumber, 8080)
    .showHelpAfterError();
  program.parse();
  const o = program.opts<{ labs: string; templates: string; assets: string; out: string; curriculum: string; serve?: boolean; port: number }>();

  const result = await buildSite({ labsRoot: o.labs, templatesDir: o.templates, assetsDir: o.assets, outDir: o.out, conceptsFile: o.curriculum });
  for (const w of result.warnings) console.warn(`warning: ${w}`);
  for (const { error } of result.errors) {
    const where = `${rel(error.file)}${error.line !== undefined ? `:${error.line}` : ''}`;
    console.error(`error: ${where}: ${error.problem}${error.hint ? `\n  hint: ${error.hint}` : ''}`);
  }
  const s = result.stats;
  console.log(`Built ${result.labs.length} ${result.labs.length === 1 ? 'lab' : 'labs'} into ${rel(o.out)} (${s.files} files, ${s.written} written, ${s.removed} removed).`);
  if (result.errors.length) console.error(`${result.errors.length} ${result.errors.length === 1 ? 'lab was' : 'labs were'} left out: ${result.errors.map((e) => e.folder).join(', ')}`);
  const code = result.errors.length ? ExitCode.badInput : ExitCode.ok;

  if (o.serve) {
    const server = await serveSite(o.out, o.port);
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : o.port;
    console.log(`Serving ${rel(o.out)} at http://127.0.0.1:${port}/ (Ctrl+C to stop)`);
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(formatError(err));
    process.exit(err instanceof KubelabError ? err.exitCode : ExitCode.badInput);
  },
);
