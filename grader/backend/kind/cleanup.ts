/**
 * Cleanup hooks run when the user presses Ctrl-C: a real cluster must not keep a student's
 * namespace (or a whole kind cluster) because grading was interrupted. The CLI installs the
 * signal handler once; backends register and unregister their hooks.
 */
const hooks = new Set<() => Promise<void>>();

export function registerCleanup(hook: () => Promise<void>): () => void {
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
  };
}

/** Run every registered hook once (errors are swallowed: cleanup is best effort). */
export async function runCleanups(): Promise<number> {
  const all = [...hooks];
  hooks.clear();
  await Promise.all(all.map((h) => h().catch(() => undefined)));
  return all.length;
}
