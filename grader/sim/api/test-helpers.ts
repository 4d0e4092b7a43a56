/** A standalone apiserver for tests: real store, clock and RNG, no controllers. */
import { ObjectStore } from './store.ts';
import { SimApiServer } from './apiserver.ts';
import { VirtualClock } from '../../util/clock.ts';
import { Rng } from '../../util/rng.ts';
import { type ClusterConfig, DEFAULT_CLUSTER_CONFIG, EventRecorder } from '../runtime/context.ts';
import YAML from 'yaml';
import type { KubeObject } from './types.ts';

export function newApiServer(config: Partial<ClusterConfig> = {}) {
  const store = new ObjectStore();
  const clock = new VirtualClock();
  const warnings: string[] = [];
  const events = new EventRecorder(clock);
  const cfg = { ...DEFAULT_CLUSTER_CONFIG, ...config };
  const api = new SimApiServer({ store, clock, rng: new Rng(cfg.seed).fork('apiserver'), config: cfg, warnings, events });
  api.bootstrap();
  return { api, store, clock, warnings, events, config: cfg };
}

/** One YAML document as an object (tests write manifests the way students do). */
export function y(text: string): KubeObject {
  return YAML.parse(text, { schema: 'yaml-1.1' });
}

/** The message of what `fn` throws. */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}
