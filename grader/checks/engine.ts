/**
 * Runs a lab's checks in order against a prepared cluster and scores them. Scenario checks
 * change the cluster, so each one gets a fresh backend from `freshBackend` (setup and
 * submission applied, rolled out) and stops it afterwards; other checks share one backend.
 * A check that throws becomes status `error` with the reason, never a crash of the run —
 * except a broken lab definition, which is the lab author's to fix (exit 2).
 */
import type { ApplyFailure, Backend } from '../backend/types.ts';
import { LabDefinitionError } from '../errors.ts';
import type { Lab } from '../lab/load.ts';
import type { Check } from '../lab/schema.ts';
import type { LoadedDocument } from '../manifests/types.ts';
import type { CheckResult } from './report.ts';
import type { CheckContext, CheckOf, CheckOutcome } from './types.ts';
import * as object from './object/object.ts';
import * as dns from './dns/dns.ts';
import * as http from './http/http.ts';
import * as tcp from './tcp/tcp.ts';
import * as distribution from './distribution/distribution.ts';
import * as scenario from './scenario/scenario.ts';
import * as custom from './custom/custom.ts';

type Operations = { [K in Check['type']]: (ctx: CheckContext<CheckOf<K>>) => Promise<CheckOutcome> };

export const OPERATIONS: Operations = {
  object: object.exec,
  dns: dns.exec,
  http: http.exec,
  tcp: tcp.exec,
  distribution: distribution.exec,
  scenario: scenario.exec,
  custom: custom.exec,
};

export interface EngineEnv {
  lab: Lab;
  /** The shared cluster, with setup and submission applied. */
  backend: Backend;
  /** A new cluster in the same state as `backend` was before any check ran (for scenarios). */
  freshBackend(): Promise<Backend>;
  loadLabFiles(relPath: string): Promise<LoadedDocument[]>;
  /** What `kubectl apply` rejected from the submission (for the messages of missing objects). */
  rejected?: readonly ApplyFailure[];
}

export async function runChecks(env: EngineEnv): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const check of env.lab.spec.checks) out.push(await runCheck(check, env));
  return out;
}

export async function runCheck(check: Check, env: EngineEnv): Promise<CheckResult> {
  let outcome: CheckOutcome;
  let own: Backend | undefined;
  try {
    const backend = check.type === 'scenario' ? (own = await env.freshBackend()) : env.backend;
    const ctx = { check, backend, lab: env.lab, loadLabFiles: env.loadLabFiles, rejected: env.rejected };
    outcome = await (OPERATIONS[check.type] as (c: CheckContext<Check>) => Promise<CheckOutcome>)(ctx);
  } catch (err) {
    if (err instanceof LabDefinitionError) throw err;
    outcome = { status: 'error', message: `the check could not run: ${err instanceof Error ? err.message : String(err)}`, evidence: [] };
  } finally {
    if (own) await own.stop();
  }
  return toResult(check, outcome);
}

export function toResult(check: Check, o: CheckOutcome): CheckResult {
  // Built field by field so the JSON keeps the documented key order.
  return {
    id: check.id,
    title: check.title,
    status: o.status,
    points: o.status === 'pass' ? check.points : 0,
    maxPoints: check.points,
    hidden: check.hidden,
    message: o.message,
    ...(o.status !== 'pass' ? { hint: check.hint } : {}),
    ...(check.explain ? { explain: check.explain } : {}),
    evidence: o.evidence,
  };
}
