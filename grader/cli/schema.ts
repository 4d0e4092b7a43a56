/**
 * `npm run schema` — publishes the lab.yaml format as JSON Schema (docs/lab.schema.json) from
 * the zod schema, so editors can validate and complete lab files. `--check` exits 1 when the
 * published file is out of date (for CI) instead of writing it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LabSpec, MutantSpec } from '../lab/schema.ts';
import { ExitCode, formatError } from '../errors.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The JSON Schema text for lab.yaml; mutant.yaml's schema is included under $defs. */
export function labJsonSchema(): string {
  // `input`: what an author may write (fields with defaults are optional).
  const lab = z.toJSONSchema(LabSpec, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  const mutant = z.toJSONSchema(MutantSpec, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  delete mutant.$schema;
  const doc = {
    $schema: lab.$schema,
    $id: 'https://kubelab.local/lab.schema.json',
    title: 'kubelab lab.yaml',
    description: 'A kubelab lab definition (labs/NN-slug/lab.yaml). Generated from grader/lab/schema.ts by `npm run schema`; do not edit.',
    ...Object.fromEntries(Object.entries(lab).filter(([k]) => k !== '$schema')),
    $defs: { ...((lab.$defs as object | undefined) ?? {}), MutantSpec: mutant },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

async function main(argv: string[]): Promise<number> {
  const out = path.join(ROOT, 'docs', 'lab.schema.json');
  const text = labJsonSchema();
  if (argv.includes('--check')) {
    const current = await readFile(out, 'utf8').catch(() => '');
    if (current !== text) {
      process.stderr.write('docs/lab.schema.json is out of date: run `npm run schema`\n');
      return ExitCode.checksFailed;
    }
    return ExitCode.ok;
  }
  await writeFile(out, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
  return ExitCode.ok;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${formatError(err)}\n`);
      process.exitCode = ExitCode.badInput;
    },
  );
}
