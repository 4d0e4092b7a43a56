import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['grader/**/*.test.ts', 'labs/**/*.test.ts'],
    // Simulator tests are CPU-bound and the machines have 2 cores.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Every object the simulated store keeps is deep-frozen as it is written, so a part that
    // edits a stored object in place (which forks of a cluster would then share) throws here.
    env: { KUBELAB_FREEZE_STORE: '1' },
  },
});
