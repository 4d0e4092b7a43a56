/**
 * `npm run bench [-- SECTION… --quick --opt key=value]`: runs the bench sections
 * (grader/bench/sections.ts) and prints their tables. The only place that exits.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { ExitCode, KubelabError, UsageError, formatError } from '../errors.ts';
import { findSection, renderTable, sections, type BenchSection } from '../bench/index.ts';

const program = new Command('bench')
  .description(`Measure kubelab's performance. Sections: ${sections.map((s) => s.name).join(', ')}.`)
  .argument('[sections...]', 'sections to run (default: all)')
  .option('--quick', 'smaller inputs')
  .option('--opt <key=value...>', 'section options, e.g. --opt n=200 --opt grader=fake')
  .option('--list', 'list the sections')
  .exitOverride();

async function main(): Promise<number> {
  try {
    program.parse(process.argv);
  } catch (err) {
    return (err as { code?: string }).code === 'commander.helpDisplayed' ? ExitCode.ok : ExitCode.badInput;
  }
  const o = program.opts<{ quick?: boolean; opt?: string[]; list?: boolean }>();
  if (o.list) {
    for (const s of sections) process.stdout.write(`${s.name.padEnd(12)} ${s.description}\n`);
    return ExitCode.ok;
  }
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'kubelab-bench-'));
  try {
    const chosen: BenchSection[] = program.args.length
      ? program.args.map((n) => findSection(n) ?? (() => { throw new UsageError(`no bench section "${n}"`, `sections: ${sections.map((s) => s.name).join(', ')}`); })())
      : sections;
    const options: Record<string, string> = {};
    for (const kv of o.opt ?? []) {
      const i = kv.indexOf('=');
      if (i < 1) throw new UsageError(`--opt ${kv}: expected key=value`);
      options[kv.slice(0, i)] = kv.slice(i + 1);
    }
    for (const s of chosen) {
      const tables = await s.run({ quick: o.quick ?? false, options, tmpDir, log: (m) => process.stderr.write(`[${s.name}] ${m}\n`) });
      for (const t of tables) process.stdout.write(`\n${renderTable(t)}\n`);
    }
    return ExitCode.ok;
  } catch (err) {
    process.stderr.write(`${formatError(err)}\n`);
    return err instanceof KubelabError ? err.exitCode : 1;
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}

process.exit(await main());
