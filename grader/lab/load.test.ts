import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLab } from './load.ts';
import { LabDefinitionError } from '../errors.ts';

const head = 'id: 1\nslug: x\ntitle: t\nsummary: s\nconcepts: [a]\ndifficulty: beginner\nestimatedMinutes: 3\n';
const check = (body: string) => `  - id: a\n    title: t\n    hint: h\n${body}`;

function labDir(yaml: string, files: Record<string, string> = {}): string {
  const d = mkdtempSync(path.join(tmpdir(), 'kubelab-lab-'));
  writeFileSync(path.join(d, 'lab.yaml'), yaml);
  writeFileSync(path.join(d, 'README.md'), '# lab');
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    writeFileSync(path.join(d, f), text);
  }
  return d;
}

async function problem(yaml: string, files?: Record<string, string>): Promise<string> {
  const d = labDir(yaml, files);
  const err = await loadLab(d).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(LabDefinitionError);
  return (err as LabDefinitionError).message.replace(d, 'LAB');
}

describe('loadLab reports lab definition problems with file and line', () => {
  it('points at an unknown key itself', async () => {
    expect(await problem(`${head}checks:\n${check('    type: object\n    target: { kind: Service, name: web }\n    pointz: 2\n')}`)).toBe('LAB/lab.yaml:14: lab.yaml field checks.0.pointz: unknown field "pointz"');
  });
  it('narrows unions to the form the author meant', async () => {
    const steps = '    type: scenario\n    steps:\n      - do:\n          advanse: 5m\n';
    expect(await problem(`${head}checks:\n${check(steps)}`)).toContain('checks.0.steps.0.do.advanse: unknown field "advanse"; expected one of: killNode, restoreNode');
  });
  it('rejects references to files that do not exist', async () => {
    expect(await problem(`${head}setup: [setup]\nchecks:\n${check('    type: object\n    target: { kind: Service, name: web }\n')}`)).toBe('LAB/lab.yaml:8: lab.yaml field setup.0: setup file setup does not exist in the lab folder');
    expect(await problem(`${head}checks:\n${check('    type: custom\n    module: checks/x.ts\n')}`)).toBe('LAB/lab.yaml:13: lab.yaml field checks.0.module: custom check module checks/x.ts does not exist in the lab folder');
    expect(await problem(`${head}checks:\n${check('    type: scenario\n    steps:\n      - do: { applyLabFiles: v2 }\n')}`)).toContain('checks.0.steps.0.do.applyLabFiles: lab file v2 does not exist');
  });
  it('rejects comparisons of values never captured, unknown placeholders and object checks without a target', async () => {
    expect(await problem(`${head}checks:\n${check('    type: scenario\n    steps:\n      - compare: { captured: ip, op: equal }\n')}`)).toContain('compares "ip", which no earlier step captures');
    expect(await problem(`${head}checks:\n${check('    type: http\n    request: { url: "http://{{nodeIp:any}}/" }\n    expect: { status: 200 }\n')}`)).toContain('unknown placeholder {{nodeIp}}');
    expect(await problem(`${head}checks:\n${check('    type: http\n    request: { url: "http://x:{{nodePort:default/web}}/" }\n    expect: { status: 200 }\n')}`)).toContain('needs the Service port');
    expect(await problem(`${head}checks:\n${check('    type: object\n')}`)).toContain('needs exactly one of `target`');
  });
  it('loads a valid lab with its files', async () => {
    const d = labDir(`${head}setup: [setup]\nchecks:\n${check('    type: custom\n    module: checks/x.ts\n')}`, { 'setup/a.yaml': 'kind: ConfigMap', 'checks/x.ts': 'export default {}' });
    const lab = await loadLab(d);
    expect(lab.spec.checks[0]!.type).toBe('custom');
  });
});
