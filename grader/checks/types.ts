/**
 * The one shape every check operation has: `exec(ctx) → CheckOutcome`. The engine builds the
 * context (the check, the backend it runs on, the lab), calls the operation, and turns the
 * outcome into a scored CheckResult. Operations never score and never catch: a throw becomes
 * status `error` in the engine.
 */
import type { ApplyFailure, Backend } from '../backend/types.ts';
import type { Lab } from '../lab/load.ts';
import type { Check } from '../lab/schema.ts';
import type { LoadedDocument } from '../manifests/types.ts';
import type { CheckStatus, Evidence } from './report.ts';

export interface CheckOutcome {
  status: CheckStatus;
  /** One sentence that explains what was found, with the observed values. Never a bare "failed". */
  message: string;
  evidence: Evidence[];
}

export type CheckOf<T extends Check['type']> = Extract<Check, { type: T }>;

export interface CheckContext<C = Check> {
  check: C;
  backend: Backend;
  lab: Lab;
  /** Load manifests from a file or folder of the lab (scenario `applyLabFiles`). */
  loadLabFiles(relPath: string): Promise<LoadedDocument[]>;
  /** Objects of the submission that `kubectl apply` rejected: a check about a missing object says why it is missing. */
  rejected?: readonly ApplyFailure[];
}

export interface Operation<C> {
  exec(ctx: CheckContext<C>): Promise<CheckOutcome>;
}

export const pass = (message: string, evidence: Evidence[] = []): CheckOutcome => ({ status: 'pass', message, evidence });
export const fail = (message: string, evidence: Evidence[] = []): CheckOutcome => ({ status: 'fail', message, evidence });
export const skipped = (message: string, evidence: Evidence[] = []): CheckOutcome => ({ status: 'skipped', message, evidence });
