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
import { validateLab, type LabIssue } from './validate.ts';

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
export async function readYamlWithSchema<S extends z.ZodType>(
  file: string,
  schema: S,
  what: string,
  /** Further checks on the parsed value; the first issue is reported with its line. */
  validate?: (data: z.infer<S>) => LabIssue[],
): Promise<z.infer<S>> {
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
    const issue = describeIssue(parsed.error.issues[0]! as ZodIssueLike, []);
    const line = lineOf(doc, issue.path, lineCounter);
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new LabDefinitionError(file, line, `${what} field ${where}: ${issue.message}`, `see docs/lab.schema.json for the ${what} format`);
  }
  const issue = validate?.(parsed.data)[0];
  if (issue) {
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new LabDefinitionError(file, lineOf(doc, issue.path, lineCounter), `${what} field ${where}: ${issue.problem}`, issue.hint);
  }
  return parsed.data;
}

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: ZodIssueLike[][];
}

/**
 * One readable problem out of a zod issue. Unknown keys point at the key itself; unions
 * (scenario steps, actions, assertions) are narrowed to the branch the author meant, or
 * listed as the forms they could have written.
 */
function describeIssue(issue: ZodIssueLike, base: (string | number)[]): { path: (string | number)[]; message: string } {
  const here = [...base, ...(issue.path as (string | number)[])];
  if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
    return { path: [...here, issue.keys[0]!], message: `unknown field "${issue.keys[0]}"` };
  }
  if (issue.code === 'invalid_union' && issue.errors?.length) {
    const absent = (e: ZodIssueLike): boolean =>
      e.message.endsWith('received undefined') ||
      (e.code === 'invalid_union' && (e.errors ?? []).every((b) => b.length > 0 && b[0]!.path.length === 0 && absent(b[0]!)));
    // The key a branch needs and the author did not write (e.g. `advance`), if that is why it failed.
    const missingKey = (errs: ZodIssueLike[]) => errs.find((e) => e.path.length === 1 && absent(e))?.path[0];
    const viable = issue.errors.filter((errs) => errs.length > 0 && missingKey(errs) === undefined && !errs.every((e) => e.path.length === 0 && e.code === 'invalid_type'));
    if (viable.length === 1) return describeIssue(viable[0]![0]!, here);
    const forms = [...new Set(issue.errors.map(missingKey).filter((k): k is PropertyKey => k !== undefined).map(String))];
    const unknown = issue.errors.flat().find((e) => e.code === 'unrecognized_keys' && e.path.length === 0 && e.keys?.length && !forms.includes(e.keys[0]!));
    if (forms.length) {
      return {
        path: unknown ? [...here, unknown.keys![0]!] : here,
        message: `${unknown ? `unknown field "${unknown.keys![0]}"; ` : ''}expected one of: ${forms.join(', ')}`,
      };
    }
  }
  return { path: here, message: issue.message };
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
  const spec = await readYamlWithSchema(path.join(abs, 'lab.yaml'), LabSpec, 'lab.yaml', (data) => validateLab(data, abs));
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
