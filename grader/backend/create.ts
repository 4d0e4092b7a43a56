/**
 * Creates a backend by name. Both are imported lazily: the simulator only when grading, and
 * the kind backend only when asked for, so `npm run lab` starts fast and works in a checkout
 * where the kind backend is missing.
 */
import type { Backend } from './types.ts';
import { UsageError } from '../errors.ts';

export const BACKEND_NAMES = ['sim', 'kind'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The kind backend cannot be used here (module missing, or it failed to load). */
export class BackendUnavailableError extends UsageError {}

export interface CreateBackendOptions {
  /** Kinds a submission may create on a real cluster (the lab's `allowedKinds`). */
  allowedKinds?: string[];
  /** Further options for the kind backend (KindBackendOptions: kubeContext, keepCluster, …). */
  kind?: Record<string, unknown>;
}

// Kept after the first import: under a loader hook each import() is a round trip to its thread.
let simModule: Promise<typeof import('./sim/sim-backend.ts')> | undefined;

export async function createBackend(name: BackendName, opts: CreateBackendOptions = {}): Promise<Backend> {
  if (name === 'sim') {
    const { SimBackend } = await (simModule ??= import('./sim/sim-backend.ts'));
    return new SimBackend();
  }
  if (name === 'kind') {
    // A computed specifier keeps the typechecker from requiring the module in checkouts without it.
    const specifier = './kind/index.ts';
    type KindOptions = Record<string, unknown>;
    let mod: { KindBackend?: new (o?: KindOptions) => Backend; createKindBackend?: (o?: KindOptions) => Backend | Promise<Backend> };
    try {
      mod = await import(specifier);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_MODULE_NOT_FOUND') {
        throw new BackendUnavailableError('the kind backend is not available in this checkout (grader/backend/kind/index.ts is missing)', 'grade on the simulator instead: leave out --cluster kind, or use --cluster sim');
      }
      throw new BackendUnavailableError(`the kind backend failed to load: ${err instanceof Error ? err.message : String(err)}`, 'see docs/kind.md');
    }
    const kindOpts: KindOptions = { ...opts.kind, ...(opts.allowedKinds ? { policy: { ...(opts.kind?.policy as object | undefined), allowedKinds: opts.allowedKinds } } : {}) };
    if (mod.createKindBackend) return mod.createKindBackend(kindOpts);
    if (mod.KindBackend) return new mod.KindBackend(kindOpts);
    throw new BackendUnavailableError('grader/backend/kind/index.ts exports neither KindBackend nor createKindBackend', 'export the backend class as KindBackend');
  }
  throw new UsageError(`unknown cluster "${String(name)}"`, `use one of: ${BACKEND_NAMES.join(', ')}`);
}
