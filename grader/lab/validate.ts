/**
 * Checks of a lab definition that the schema cannot express: files the lab names exist
 * (setup, custom modules, scenario `applyLabFiles`), scenario comparisons name values that
 * an earlier step captured, URL placeholders are known, object checks say what to look at.
 * Each problem carries the YAML path so the loader can report file:line.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AssertSpec, Check, LabSpec, ScenarioStep } from './schema.ts';

export interface LabIssue {
  path: (string | number)[];
  problem: string;
  hint: string;
}

const KNOWN_PLACEHOLDERS = new Set(['nodeIP', 'nodePort', 'loadBalancerIP', 'clusterIP', 'ingressIP']);
const PLACEHOLDER = /\{\{\s*([a-zA-Z]+)(?::([^}]*))?\s*\}\}/g;

export function validateLab(spec: LabSpec, dir: string): LabIssue[] {
  const issues: LabIssue[] = [];
  const fileExists = (rel: string, at: (string | number)[], what: string) => {
    if (!existsSync(path.resolve(dir, rel))) issues.push({ path: at, problem: `${what} ${rel} does not exist in the lab folder`, hint: `create ${rel} or fix the path (paths are relative to the lab folder)` });
  };
  const placeholders = (text: string | number | undefined, at: (string | number)[]) => {
    for (const m of String(text ?? '').matchAll(PLACEHOLDER)) {
      const name = m[1]!;
      if (!KNOWN_PLACEHOLDERS.has(name)) issues.push({ path: at, problem: `unknown placeholder {{${m[1]}}}`, hint: `use one of ${[...KNOWN_PLACEHOLDERS].map((p) => `{{${p}…}}`).join(', ')}` });
      else if (['nodePort', 'loadBalancerIP', 'clusterIP'].includes(name) && !/^[^/:]+\/[^/:]+/.test(m[2] ?? '')) issues.push({ path: at, problem: `{{${name}}} needs a Service as namespace/name, e.g. {{${name}:default/web${name === 'nodePort' ? ':80' : ''}}}`, hint: 'name the Service with its namespace' });
      else if (name === 'nodePort' && !/^[^/:]+\/[^/:]+:.+/.test(m[2] ?? '')) issues.push({ path: at, problem: `{{nodePort:${m[2]}}} needs the Service port, e.g. {{nodePort:${m[2]}:80}}`, hint: 'add :PORT (number or name) after the Service' });
    }
  };
  spec.setup.forEach((rel, i) => fileExists(rel, ['setup', i], 'setup file'));

  const checkAssertion = (a: AssertSpec, at: (string | number)[]) => {
    if ('object' in a) objectShape(a.object, [...at, 'object']);
    if ('http' in a) {
      placeholders(a.http.request.url, [...at, 'http', 'request', 'url']);
      placeholders(a.http.request.connectTo, [...at, 'http', 'request', 'connectTo']);
    }
    if ('distribution' in a) placeholders(a.distribution.request.url, [...at, 'distribution', 'request', 'url']);
    if ('tcp' in a) {
      placeholders(a.tcp.host, [...at, 'tcp', 'host']);
      placeholders(a.tcp.port, [...at, 'tcp', 'port']);
    }
    if ('dns' in a && a.dns.from === 'external') issues.push({ path: [...at, 'dns', 'from'], problem: 'DNS is asked from inside a pod, not from outside the cluster', hint: 'set from: { pod: { namespace: … } }' });
  };
  const objectShape = (c: { target?: unknown; select?: unknown }, at: (string | number)[]) => {
    if (!c.target === !c.select) issues.push({ path: at, problem: 'an object check needs exactly one of `target` (one object by name) or `select` (objects by labels)', hint: 'keep one of target/select' });
  };

  spec.checks.forEach((c: Check, i) => {
    const at = ['checks', i];
    switch (c.type) {
      case 'object':
        objectShape(c, at);
        break;
      case 'dns':
        if (c.from === 'external') issues.push({ path: [...at, 'from'], problem: 'DNS is asked from inside a pod, not from outside the cluster', hint: 'set from: { pod: { namespace: … } }' });
        break;
      case 'http':
        placeholders(c.request.url, [...at, 'request', 'url']);
        placeholders(c.request.connectTo, [...at, 'request', 'connectTo']);
        break;
      case 'distribution':
        placeholders(c.request.url, [...at, 'request', 'url']);
        break;
      case 'tcp':
        placeholders(c.host, [...at, 'host']);
        placeholders(c.port, [...at, 'port']);
        break;
      case 'custom':
        fileExists(c.module, [...at, 'module'], 'custom check module');
        break;
      case 'scenario': {
        const captured = new Set<string>();
        c.steps.forEach((s: ScenarioStep, j) => {
          const st = [...at, 'steps', j];
          if ('capture' in s) captured.add(s.capture.as);
          if ('do' in s && 'applyLabFiles' in s.do) fileExists(s.do.applyLabFiles, [...st, 'do', 'applyLabFiles'], 'lab file');
          if ('assert' in s) checkAssertion(s.assert, [...st, 'assert']);
          if ('compare' in s) {
            const names = [s.compare.captured, ...(s.compare.with && 'captured' in s.compare.with ? [s.compare.with.captured] : [])];
            for (const n of names) {
              if (!captured.has(n)) issues.push({ path: [...st, 'compare'], problem: `compares "${n}", which no earlier step captures`, hint: `add a step { capture: { as: ${n}, value: … } } before it` });
            }
          }
        });
        break;
      }
    }
  });
  return issues;
}
