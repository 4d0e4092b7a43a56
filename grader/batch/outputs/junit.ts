/**
 * JUnit XML for CI systems and GitHub Classroom: one <testsuite> per student, one <testcase>
 * per check. A submission that could not be graded is one <testcase> with an <error>. Hidden
 * checks keep their points but their names and messages are withheld, since CI logs are often
 * visible to students.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { Lab } from '../../lab/load.ts';
import type { StudentRow } from '../types.ts';

/** Characters XML 1.0 cannot carry at all, which a hostile manifest might smuggle into messages. */
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');

interface Case {
  '@_classname': string;
  '@_name': string;
  '@_time': string;
  failure?: { '@_message': string; '@_type': string; '#text': string };
  error?: { '@_message': string; '@_type': string; '#text': string };
  skipped?: { '@_message': string };
}

function suite(lab: Lab, row: StudentRow) {
  const classname = clean(`lab${lab.spec.id}.${row.student}`);
  const cases: Case[] = [];
  if (row.status !== 'graded' || !row.report) {
    const msg = clean(row.message ?? 'not graded');
    cases.push({ '@_classname': classname, '@_name': 'submission', '@_time': '0', error: { '@_message': msg, '@_type': row.errorReason ?? row.status, '#text': clean(row.hint ? `${msg}\nWhat to do: ${row.hint}` : msg) } });
  } else {
    let hiddenN = 0;
    for (const c of row.report.checks) {
      const name = c.hidden ? `hidden check ${++hiddenN}` : `${c.id}: ${c.title}`;
      const tc: Case = { '@_classname': classname, '@_name': clean(name), '@_time': '0' };
      const detail = c.hidden ? 'details of hidden checks are withheld' : clean([c.message, c.hint ? `Hint: ${c.hint}` : '', ...c.evidence.map((e) => `${e.path}: expected ${JSON.stringify(e.expected)}, observed ${JSON.stringify(e.observed)}`)].filter(Boolean).join('\n'));
      const message = c.hidden ? 'hidden check did not pass' : clean(c.message);
      if (c.status === 'fail') tc.failure = { '@_message': message, '@_type': 'fail', '#text': detail };
      else if (c.status === 'error') tc.error = { '@_message': message, '@_type': 'error', '#text': detail };
      else if (c.status === 'skipped') tc.skipped = { '@_message': message };
      cases.push(tc);
    }
  }
  const count = (k: 'failure' | 'error' | 'skipped') => cases.filter((c) => c[k]).length;
  return {
    '@_name': clean(row.student),
    '@_tests': String(cases.length),
    '@_failures': String(count('failure')),
    '@_errors': String(count('error')),
    '@_skipped': String(count('skipped')),
    '@_time': ((row.report?.durationMs ?? 0) / 1000).toFixed(3),
    properties: {
      property: [
        { '@_name': 'status', '@_value': row.status },
        { '@_name': 'score', '@_value': String(row.finalScore) },
        { '@_name': 'max_score', '@_value': String(row.maxScore) },
      ],
    },
    testcase: cases,
  };
}

export function renderJunit(lab: Lab, rows: StudentRow[]): string {
  const suites = rows.map((r) => suite(lab, r));
  const sum = (k: '@_tests' | '@_failures' | '@_errors' | '@_skipped') => String(suites.reduce((s, x) => s + Number(x[k]), 0));
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': clean(`kubelab lab ${lab.spec.id} ${lab.spec.slug}`),
      '@_tests': sum('@_tests'),
      '@_failures': sum('@_failures'),
      '@_errors': sum('@_errors'),
      '@_skipped': sum('@_skipped'),
      testsuite: suites,
    },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true, processEntities: true });
  return builder.build(doc) as string;
}
