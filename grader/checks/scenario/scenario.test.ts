import { describe, expect, it } from 'vitest';
import { runOne } from '../fixtures/run-check.ts';
import type { FakeBackend } from '../fixtures/fake-backend.ts';
import type { EndpointSlice } from '../../sim/api/types.ts';
import type { Action } from '../../backend/types.ts';

/** killNode: endpoints on that node become not ready (as after the grace period in a real cluster). */
function nodeLoss(a: Action, b: FakeBackend) {
  if (a.type !== 'killNode') return undefined;
  for (const o of b.objects.values()) {
    if (o.kind !== 'EndpointSlice') continue;
    for (const e of (o as EndpointSlice).endpoints) if (e.nodeName === a.node) e.conditions.ready = false;
  }
  return { summary: `stopped node ${a.node}` };
}

describe('scenario check', () => {
  it('runs steps in order and logs each one', async () => {
    const r = await runOne(
      {
        type: 'scenario',
        steps: [
          { capture: { as: 'ip', value: { field: { object: { kind: 'Service', name: 'web' }, path: 'spec.clusterIP' } } } },
          { do: { killNode: { nodeOf: { selector: { app: 'web' } } } } },
          { do: { advance: '5m' } },
          { assert: { http: { request: { url: 'http://web/' }, expect: { servedBy: { selector: { app: 'web' } } } } }, note: 'still served' },
          { compare: { captured: 'ip', op: 'equal' } },
        ],
      },
      { overrides: { act: nodeLoss } },
    );
    expect(r.status).toBe('pass');
    expect(r.message).toBe('all 5 steps held (killNode (the node of the first pod with app=web) → advance 5m)');
    // killNode resolved the node of web-a, the first matching pod by name.
    expect(r.backend.log.filter((l) => l.startsWith('act'))).toEqual(['act killNode kind-worker', 'act advance']);
    expect(r.evidence.map((e) => e.path.split(':')[0])).toEqual(['step 1', 'step 2', 'step 3', 'step 4', 'step 4', 'step 5']);
    expect(r.evidence[0]!.observed).toBe('10.96.0.12');
  });
  it('stops at the first failing assertion and says which step', async () => {
    const r = await runOne(
      {
        type: 'scenario',
        steps: [
          { do: { killNode: 'kind-worker2' } },
          { assert: { distribution: { request: { url: 'http://web/' }, requests: 4, expect: { allReadyEndpointsOf: { name: 'web' } } } } },
          { assert: { dns: { names: ['web'], expect: { serviceIP: { name: 'web' } } } }, note: 'dns' },
          { do: { advance: '10s' } },
        ],
      },
      { overrides: { act: nodeLoss } },
    );
    expect(r.status).toBe('pass');
    const fails = await runOne(
      {
        type: 'scenario',
        steps: [
          { do: { deletePod: { selector: { app: 'web' } } } },
          { assert: { http: { request: { url: 'http://web/' }, expect: { status: 200 } } }, note: 'served after the pods are gone' },
          { do: { advance: '10s' } },
        ],
      },
    );
    expect(fails.status).toBe('fail');
    expect(fails.message).toMatch(/^step 2 \(served after the pods are gone\): GET http:\/\/web\/ .* failed: connection refused/);
    expect(fails.backend.log.filter((l) => l.startsWith('act'))).toEqual(['act deletePod web-a', 'act deletePod web-b', 'act deletePod web-c']);
  });
  it('compares captured values over time', async () => {
    const steps = (op: string) => [
      { capture: { as: 'before', value: { readyEndpoints: { name: 'web' } } } },
      { do: { deletePod: { name: 'web-c' } } },
      { compare: { captured: 'before', op } },
    ];
    expect((await runOne({ type: 'scenario', steps: steps('notEqual') })).status).toBe('pass');
    const eq = await runOne({ type: 'scenario', steps: steps('equal') });
    expect(eq.status).toBe('fail');
    expect(eq.message).toBe('step 3: before was 10.244.1.5, 10.244.2.6, 10.244.2.7 and the ready endpoints of Service default/web now is 10.244.1.5, 10.244.2.6; they should be equal');
    const dis = await runOne({ type: 'scenario', steps: steps('disjoint') });
    expect(dis.message).toContain('they should have nothing in common, but share 10.244.1.5, 10.244.2.6');
  });
  it('applies lab files and fails clearly when the node to kill cannot be found', async () => {
    const file = [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'v2' } }, file: 'v2/cm.yaml', line: 1 }];
    const ok = await runOne({ type: 'scenario', steps: [{ do: { applyLabFiles: 'v2' } }, { assert: { object: { target: { kind: 'ConfigMap', name: 'v2' } } } }] }, { labFiles: { v2: file } });
    expect(ok.status).toBe('pass');
    const none = await runOne({ type: 'scenario', steps: [{ do: { killNode: { nodeOf: { selector: { app: 'nope' } } } } }] });
    expect(none.status).toBe('fail');
    expect(none.message).toBe('step 1 (killNode (the node of the first pod with app=nope)) could not run: no scheduled pod with app=nope in namespace default, so there is no node to stop');
  });
  it('is skipped on kind when the lab says so, or when a wait is too long for a real cluster', async () => {
    const skip = await runOne({ type: 'scenario', kind: { skip: 'needs 6 minutes of node loss' }, steps: [{ do: { advance: '6m' } }] }, { backendName: 'kind' });
    expect(skip.status).toBe('skipped');
    expect(skip.message).toBe('not run on kind: needs 6 minutes of node loss');
    expect(skip.points).toBe(0);
    const bound = await runOne({ type: 'scenario', kind: { maxWaitSeconds: 60 }, steps: [{ do: { advance: '6m' } }] }, { backendName: 'kind' });
    expect(bound.status).toBe('skipped');
  });
  it('errors when a compare names a value nothing captured', async () => {
    const r = await runOne({ type: 'scenario', steps: [{ compare: { captured: 'nothing', op: 'equal' } }] });
    expect(r.status).toBe('error');
    expect(r.message).toContain('"nothing", which no earlier step captured');
  });
});
