import { describe, expect, it } from 'vitest';
import { type RSState, recreateStep, resolveFenceposts, rollingStep } from './rolling.ts';

const rs = (name: string, replicas: number, available: number, created: string): RSState => ({ name, replicas, available, current: replicas, created });

describe('rollout arithmetic', () => {
  it('rounds maxSurge up and maxUnavailable down, never both zero', () => {
    expect(resolveFenceposts(undefined, undefined, 10)).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts('25%', '25%', 3)).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(0, 0, 3)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts('50%', '50%', 5)).toEqual({ surge: 3, unavailable: 2 });
  });
  it('scales the new ReplicaSet up only to replicas + maxSurge', () => {
    expect(rollingStep(4, 1, 0, rs('new', 0, 0, '2'), [rs('old', 4, 4, '1')])).toEqual([{ name: 'new', from: 0, to: 1 }]);
    expect(rollingStep(4, 2, 0, rs('new', 0, 0, '2'), [rs('old', 4, 4, '1')])).toEqual([{ name: 'new', from: 0, to: 2 }]);
  });
  it('scales old ReplicaSets down only while availability stays above replicas - maxUnavailable', () => {
    // 4 desired, surge 1, unavailable 0: new has 1 pod not yet available → nothing can go.
    expect(rollingStep(4, 1, 0, rs('new', 1, 0, '2'), [rs('old', 4, 4, '1')])).toEqual([]);
    // Once it is available, one old pod may go.
    expect(rollingStep(4, 1, 0, rs('new', 1, 1, '2'), [rs('old', 4, 4, '1')])).toEqual([{ name: 'old', from: 4, to: 3 }]);
    // maxUnavailable 2 lets two go at once even before the new pods are ready (4+0 total, min 2 available).
    expect(rollingStep(4, 0, 2, rs('new', 0, 0, '2'), [rs('old', 4, 4, '1')])).toEqual([{ name: 'old', from: 4, to: 2 }]);
  });
  it('removes unavailable old pods first', () => {
    expect(rollingStep(3, 1, 0, rs('new', 1, 1, '3'), [rs('older', 1, 0, '1'), rs('old', 3, 3, '2')])).toEqual([{ name: 'older', from: 1, to: 0 }, { name: 'old', from: 3, to: 2 }]);
  });
  it('Recreate: old to zero, then the new one only when no old pod is left', () => {
    expect(recreateStep(2, undefined, [rs('old', 2, 2, '1')], 2)).toEqual({ scales: [{ name: 'old', from: 2, to: 0 }], createNew: false });
    expect(recreateStep(2, undefined, [rs('old', 0, 0, '1')], 1)).toEqual({ scales: [], createNew: false });
    expect(recreateStep(2, undefined, [rs('old', 0, 0, '1')], 0)).toEqual({ scales: [], createNew: true });
  });
});
