/** `custom`: run a lab's TypeScript check module through the read-only CustomCheckApi. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProbeOrigin } from '../../backend/types.ts';
import { LabDefinitionError } from '../../errors.ts';
import { type CheckContext, type CheckOf, type CheckOutcome, fail, pass } from '../types.ts';
import { readyEndpointIPs, sortByName } from '../util/cluster.ts';
import { labelsMatch, namespaceFor } from '../util/refs.ts';
import { resolvePlaceholders } from '../util/placeholders.ts';
import type { CustomCheck, CustomCheckApi } from './api.ts';

export type CustomSpec = Pick<CheckOf<'custom'>, 'id' | 'title' | 'module' | 'options'>;

const STATUSES = new Set(['pass', 'fail', 'error', 'skipped']);

/**
 * Import a lab's TypeScript module. Under tsx (tests, `node --import tsx`) a plain import
 * works; the bundled CLI runs on plain Node, so it loads tsx's loader for this one module.
 */
const imported = new Map<string, Promise<unknown>>();

function importTypeScript(file: string): Promise<unknown> {
  // Kept per file: Node caches ES modules anyway, but each import() still costs a round trip to
  // the loader hook's thread, and tsImport compiles the module again every time.
  let mod = imported.get(file);
  if (!mod) {
    imported.set(file, (mod = importTypeScriptNow(file)));
    mod.catch(() => imported.delete(file));
  }
  return mod;
}

async function importTypeScriptNow(file: string): Promise<unknown> {
  try {
    return await import(pathToFileURL(file).href);
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(pathToFileURL(file).href, import.meta.url);
  }
}

export async function loadCustomModule(labDir: string, rel: string): Promise<CustomCheck> {
  const file = path.resolve(labDir, rel);
  const labYaml = path.join(labDir, 'lab.yaml');
  if (!existsSync(file)) throw new LabDefinitionError(labYaml, undefined, `custom check module ${rel} does not exist`, `create ${file} or fix the check's module path`);
  const mod = (await importTypeScript(file)) as { default?: CustomCheck };
  if (!mod.default || typeof mod.default.run !== 'function') {
    throw new LabDefinitionError(file, undefined, 'a custom check module must `export default defineCustomCheck({ run(api) { … } })`', 'see grader/checks/custom/api.ts');
  }
  return mod.default;
}

export async function exec(ctx: CheckContext<CustomSpec>): Promise<CheckOutcome> {
  const c = ctx.check;
  const check = await loadCustomModule(ctx.lab.dir, c.module);
  const b = ctx.backend;
  const resolve = async (text: string) => {
    const r = await resolvePlaceholders(text, b);
    if (!r.ok) throw new Error(r.problem);
    return r.value;
  };
  const client: ProbeOrigin & { kind: 'pod' } = { kind: 'pod', namespace: 'default' };
  const api: CustomCheckApi = {
    options: c.options ?? {},
    check: { id: c.id, title: c.title },
    labDir: ctx.lab.dir,
    backend: b.name,
    get: (kind, name, namespace) => b.get({ kind, name, namespace: namespaceFor(kind, namespace) }),
    list: async (kind, namespace, selector) => sortByName((await b.list(kind, namespace)).filter((o) => labelsMatch(selector, o.metadata.labels))),
    readyEndpoints: (service, namespace = 'default') => readyEndpointIPs(b, namespace, service),
    dns: (name, opts) => b.dns({ from: opts?.from ?? client, name, type: opts?.type ?? 'A' }),
    http: async (url, opts) => b.http({ ...opts, from: opts?.from ?? client, url: await resolve(url), ...(opts?.connectTo ? { connectTo: await resolve(opts.connectTo) } : {}) }),
    tcp: async (host, port, opts) => b.tcp({ from: opts?.from ?? client, host: await resolve(host), port }),
    resolve,
    views: (namespace) => b.views(namespace),
    evidence: (p, expected, observed, trace) => (trace ? { path: p, expected, observed, trace } : { path: p, expected, observed }),
    pass: (message, evidence = []) => pass(message, evidence),
    fail: (message, evidence = []) => fail(message, evidence),
  };
  const out = await check.run(api);
  if (!out || !STATUSES.has(out.status) || typeof out.message !== 'string' || !out.message.trim()) {
    throw new Error(`custom check ${c.module} returned no outcome with a status and a message: return api.pass(…) or api.fail(…)`);
  }
  return { status: out.status, message: out.message, evidence: Array.isArray(out.evidence) ? out.evidence : [] };
}
