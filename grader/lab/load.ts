/**
 * Reads lab folders: `lab.yaml` validated against the schema (errors name file, line and the
 * field), the README, and the starter/solution/mutants folders. Pure reading: nothing here
 * writes or grades.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import YAML, { LineCounter, isNode } from 'yaml';
import type { z } from 'zod';
import { LabSpec, MutantSpec } from './schema.ts';
import { LabDefinitionError } from '../errors.ts';

export interface Mutant {
  name: string;
  dir: string;
  spec: MutantSpec;
}

export interface Lab {
  /** Absolute path of the lab folder. */
  dir: string;
  /** Folder name, e.g. `02-clusterip-dns`. */
  folder: string;
  spec: LabSpec;
  readme: string;
  starterDir: string;
  solutionDir: string;
  mutants: Mutant[];
}

/** Parse a YAML file against a zod schema; problems become LabDefinitionErrors with a line. */
export async function readYamlWithSchema<S extends z.ZodType>(file: string, schema: S, what: string): Promise<z.infer<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new LabDefinitionError(file, undefined, `cannot read ${what}`, `create ${path.basename(file)} in ${path.dirname(file)}`);
  }
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = lineCounter.linePos(e.pos[0]).line;
    throw new LabDefinitionError(file, line, `malformed YAML: ${e.message.split('\n')[0]}`, 'fix the indentation or quoting on that line');
  }
  const data = doc.toJS({ maxAliasCount: 100 });
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const line = lineOf(doc, issue.path as (string | number)[], lineCounter);
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new LabDefinitionError(file, line, `${what} field ${where}: ${issue.message}`, `see docs/lab.schema.json for the ${what} format`);
  }
  return parsed.data;
}

/** The line of the deepest node that exists along `p`. */
function lineOf(doc: YAML.Document, p: (string | number)[], lc: LineCounter): number | undefined {
  for (let n = p.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(p.slice(0, n), true);
    if (isNode(node) && node.range) return lc.linePos(node.range[0]).line;
  }
  return undefined;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export async function loadLab(dir: string): Promise<Lab> {
  const abs = path.resolve(dir);
  if (!(await isDir(abs))) throw new LabDefinitionError(dir, undefined, 'is not a lab folder', 'give the path of a folder that holds lab.yaml');
  const spec = await readYamlWithSchema(path.join(abs, 'lab.yaml'), LabSpec, 'lab.yaml');
  const ids = new Set<string>();
  for (const c of spec.checks) {
    if (ids.has(c.id)) throw new LabDefinitionError(path.join(abs, 'lab.yaml'), undefined, `two checks have the id "${c.id}"`, 'give every check its own id');
    ids.add(c.id);
  }
  let readme = '';
  try {
    readme = await readFile(path.join(abs, 'README.md'), 'utf8');
  } catch {
    throw new LabDefinitionError(path.join(abs, 'README.md'), undefined, 'the lab has no README.md', 'write the instructions in README.md');
  }
  const mutants: Mutant[] = [];
  const mutantsDir = path.join(abs, 'mutants');
  if (await isDir(mutantsDir)) {
    for (const name of (await readdir(mutantsDir)).sort()) {
      const mdir = path.join(mutantsDir, name);
      if (!(await isDir(mdir))) continue;
      const mspec = await readYamlWithSchema(path.join(mdir, 'mutant.yaml'), MutantSpec, 'mutant.yaml');
      for (const f of mspec.fails) {
        if (!ids.has(f)) throw new LabDefinitionError(path.join(mdir, 'mutant.yaml'), undefined, `names check "${f}", which lab.yaml does not define`, `use one of: ${[...ids].join(', ')}`);
      }
      mutants.push({ name, dir: mdir, spec: mspec });
    }
  }
  return {
    dir: abs,
    folder: path.basename(abs),
    spec,
    readme,
    starterDir: path.join(abs, 'starter'),
    solutionDir: path.join(abs, 'solution'),
    mutants,
  };
}

/** Every lab under `root` (folders named `NN-slug`), sorted by id. Broken labs are reported, not fatal. */
export async function listLabs(root: string): Promise<{ labs: Lab[]; errors: { folder: string; error: LabDefinitionError }[] }> {
  const labs: Lab[] = [];
  const errors: { folder: string; error: LabDefinitionError }[] = [];
  let entries: string[] = [];
  try {
    entries = (await readdir(root)).sort();
  } catch {
    return { labs, errors };
  }
  for (const folder of entries) {
    if (!/^\d{2,}-/.test(folder) || !(await isDir(path.join(root, folder)))) continue;
    try {
      labs.push(await loadLab(path.join(root, folder)));
    } catch (err) {
      if (err instanceof LabDefinitionError) errors.push({ folder, error: err });
      else throw err;
    }
  }
  labs.sort((a, b) => a.spec.id - b.spec.id);
  return { labs, errors };
}
