import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../checks/report.ts';
import { loadLab, type Lab } from '../../lab/load.ts';
import { buildRows } from '../rows.ts';
import type { StudentRow } from '../types.ts';
import { renderCsv } from './csv.ts';
import { renderFeedbackHtml, renderFeedbackMarkdown } from './feedback.ts';
import { toGradescope } from './gradescope.ts';
import { renderJunit } from './junit.ts';
import { summarize } from './summary.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let lab: Lab;
let rows: StudentRow[];
const SECRET = 'secret-detail-of-hidden-check';
const XSS = '<script>alert("pwned")</script><img src=x onerror=alert(1)>';

function report(pass: Record<string, boolean>, extra: Partial<Report> = {}): Report {
  const checks = lab.spec.checks.map((c) => ({
    id: c.id,
    title: c.title,
    status: pass[c.id] ? ('pass' as const) : ('fail' as const),
    points: pass[c.id] ? c.points : 0,
    maxPoints: c.points,
    hidden: c.hidden,
    message: c.hidden ? SECRET : `observed image ${XSS}`,
    hint: c.hint,
    evidence: pass[c.id] ? [] : [{ path: `Deployment/default/web ${XSS}`, expected: 3, observed: `\`\`\`\n${XSS}\u0001` }],
  }));
  const score = checks.reduce((s, c) => s + c.points, 0);
  return {
    lab: { id: lab.spec.id, slug: lab.spec.slug, title: lab.spec.title },
    backend: 'sim',
    seed: 1,
    score,
    maxScore: checks.reduce((s, c) => s + c.maxPoints, 0),
    durationMs: 1234,
    apply: { applied: 2, errors: [], warnings: [] },
    checks,
    ...extra,
  };
}

beforeAll(async () => {
  lab = await loadLab(path.join(here, '..', 'fixtures', 'lab'));
  const all = Object.fromEntries(lab.spec.checks.map((c) => [c.id, true]));
  const none = Object.fromEntries(lab.spec.checks.map((c) => [c.id, false]));
  rows = buildRows({
    lab,
    results: [
      { student: 'ada', source: 'dir', outcome: { kind: 'report', report: report(all) }, submittedAt: '2025-03-03T00:00:01.000Z', submittedAtSource: 'git' },
      { student: '=HYPERLINK("http://evil")', source: 'zip', outcome: { kind: 'report', report: report(none, { apply: { applied: 1, errors: [{ file: 'svc.yaml', line: 4, message: `The Service "web" is invalid: ${XSS}` }], warnings: [] } }) } },
      { student: 'eve', source: 'zip', outcome: { kind: 'error', reason: 'submission', message: 'archive entry "../x" climbs out', hint: 're-create the archive', cacheable: false } },
    ],
    roster: [{ key: 'ada', id: 'S1', name: 'Ada Lovelace' }, { key: 'grace', id: 'S2', name: 'Grace Hopper' }],
    deadline: '2025-03-01T00:00:00Z',
    penalty: { kind: 'per', percent: 10, unitMs: 86_400_000, unit: 'day' },
  }).rows;
});

const byStudent = (s: string) => rows.find((r) => r.student === s)!;

describe('rows', () => {
  it('apply the late penalty per started day and add roster students without a submission', () => {
    const ada = byStudent('ada');
    // Two days and one second late → three started days → 30%.
    expect(ada.lateness).toMatchObject({ penaltyPercent: 30, source: 'git' });
    expect(ada.finalScore).toBeCloseTo(ada.score * 0.7, 5);
    expect(byStudent('grace')).toMatchObject({ status: 'missing', id: 'S2', name: 'Grace Hopper', finalScore: 0 });
    expect(rows.map((r) => r.student)).toEqual(['=HYPERLINK("http://evil")', 'ada', 'eve', 'grace']);
  });
});

describe('grades.csv', () => {
  it('parses back to the rows, with lateness and per-check columns, and neutralises formulas', () => {
    const csv = parse(renderCsv(lab, rows, { lateness: true }), { columns: true }) as Record<string, string>[];
    expect(csv).toHaveLength(rows.length);
    for (const [i, r] of rows.entries()) {
      const c = csv[i]!;
      expect(c.status).toBe(r.status);
      expect(Number(c.final_score)).toBe(r.finalScore);
      for (const check of lab.spec.checks) expect(c[check.id]).toBe(r.report ? String(r.report.checks.find((x) => x.id === check.id)!.points) : '');
    }
    expect(csv[0]!.student).toBe(`'=HYPERLINK("http://evil")`);
    expect(csv[1]).toMatchObject({ id: 'S1', name: 'Ada Lovelace', penalty_percent: '30', submitted_at: '2025-03-03T00:00:01.000Z' });
    expect(csv[2]!.message).toMatch(/climbs out — fix: re-create the archive/);
  });
});

describe('feedback', () => {
  it('never shows details of hidden checks and never passes markup through', () => {
    for (const r of rows) {
      const md = renderFeedbackMarkdown(lab, r);
      const html = renderFeedbackHtml(lab, r, md);
      expect(md).not.toContain(SECRET);
      expect(html).not.toContain(SECRET);
      expect(html).not.toMatch(/<script|<img/i);
      for (const c of lab.spec.checks.filter((c) => c.hidden)) {
        expect(md).not.toContain(c.title);
        expect(md).not.toContain(c.hint);
      }
    }
    const ada = renderFeedbackMarkdown(lab, byStudent('ada'));
    expect(ada).toMatch(/1 hidden check worth 1 point/);
    expect(ada).toMatch(/−30%/);
    const evil = renderFeedbackHtml(lab, byStudent('=HYPERLINK("http://evil")'), renderFeedbackMarkdown(lab, byStudent('=HYPERLINK("http://evil")')));
    expect(evil).toContain('&lt;script&gt;');
    expect(evil).toMatch(/svc\.yaml:4/);
    expect(renderFeedbackMarkdown(lab, byStudent('eve'))).toMatch(/could not be graded[\s\S]*climbs out[\s\S]*re-create the archive/);
  });
});

describe('Gradescope results', () => {
  it('validate against the schema; hidden checks are not visible; errors explain what to fix', async () => {
    const schema = JSON.parse(await readFile(path.join(here, '..', 'schemas', 'gradescope-results.schema.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);
    for (const vis of ['after_published', 'hidden'] as const) {
      for (const r of rows) {
        const g = toGradescope(r, { hiddenVisibility: vis });
        expect(validate(g), JSON.stringify(validate.errors)).toBe(true);
        if (r.report) {
          expect(g.tests).toHaveLength(lab.spec.checks.length);
          for (const t of g.tests) expect(t.visibility).toBe(lab.spec.checks.find((c) => c.title === t.name)!.hidden ? vis : 'visible');
          expect(g.score).toBe(r.finalScore);
        } else expect(g.score).toBe(0);
      }
    }
    expect(toGradescope(byStudent('eve'), { hiddenVisibility: 'hidden' }).output).toMatch(/could not be graded: .*climbs out\nWhat to do: re-create/);
    // The schema itself rejects what Gradescope would reject.
    expect(validate({ score: 1, execution_time: 0, output: '', tests: [{ name: 'x', score: 1, max_score: 1, status: 'ok', output: '', visibility: 'visible' }] })).toBe(false);
  });
});

describe('JUnit XML', () => {
  it('is well-formed, has one suite per student and one case per check, and withholds hidden checks', () => {
    const xml = renderJunit(lab, rows);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase', 'property'].includes(n) }).parse(xml);
    const suites = doc.testsuites.testsuite as { name: string; tests: string; failures: string; errors: string; testcase: { name: string; failure?: { message: string; '#text': string }; error?: { message: string } }[] }[];
    expect(suites.map((s) => s.name)).toEqual(rows.map((r) => r.student));
    let tests = 0;
    for (const s of suites) {
      const row = byStudent(s.name);
      tests += s.testcase.length;
      expect(Number(s.tests)).toBe(s.testcase.length);
      if (row.report) {
        expect(s.testcase).toHaveLength(row.report.checks.length);
        expect(Number(s.failures)).toBe(row.report.checks.filter((c) => c.status === 'fail').length);
      } else {
        expect(s.testcase).toHaveLength(1);
        expect(s.testcase[0]!.error).toBeDefined();
      }
    }
    expect(Number(doc.testsuites.tests)).toBe(tests);
    expect(xml).not.toContain(SECRET);
    expect(xml).not.toContain('\u0001');
    const evil = suites.find((s) => s.name.startsWith('='))!;
    expect(evil.testcase.find((c) => c.name.startsWith('hidden check'))!.failure!.message).toBe('hidden check did not pass');
  });
});

describe('summary', () => {
  it('counts the histogram over graded students and orders the most-failed checks', () => {
    const s = summarize(rows);
    expect(s.histogram.reduce((a, b) => a + b, 0)).toBe(rows.filter((r) => r.status === 'graded').length);
    expect(s).toMatchObject({ graded: 2, errors: 1, missing: 1 });
    expect(s.mostFailed.map((f) => f.failed)).toEqual([...s.mostFailed.map((f) => f.failed)].sort((a, b) => b - a));
    expect(s.mostFailed).toHaveLength(lab.spec.checks.length);
  });
});
