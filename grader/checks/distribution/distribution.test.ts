import { describe, expect, it } from 'vitest';
import { runOne } from '../fixtures/run-check.ts';
import type { HttpProbe, HttpResult } from '../../backend/types.ts';

/** Answers from pods in a fixed repeating pattern, so shares are exact. */
function pattern(pods: (string | null)[]) {
  let i = 0;
  return {
    http: (_p: HttpProbe): HttpResult => {
      const pod = pods[i++ % pods.length]!;
      return pod === null ? { ok: false, error: 'connection refused', trace: [] } : { ok: true, status: 200, headers: {}, body: pod, servedBy: { pod, namespace: 'default' }, trace: [] };
    },
  };
}

describe('distribution check', () => {
  it('passes when every ready endpoint serves and the spread is even; evidence counts per pod', async () => {
    const r = await runOne({ type: 'distribution', request: { url: 'http://web/' }, requests: 90, expect: { allReadyEndpointsOf: { name: 'web' }, evenWithin: 0.05, noErrors: true } });
    expect(r.status).toBe('pass');
    expect(r.message).toBe('90 requests: web-a 30, web-b 30, web-c 30');
    expect(r.evidence[0]!.observed).toEqual({ requests: 90, perPod: { 'default/web-a': 30, 'default/web-b': 30, 'default/web-c': 30 } });
  });
  it('fails when a ready endpoint gets no traffic', async () => {
    const r = await runOne({ type: 'distribution', request: { url: 'http://web/' }, requests: 10, expect: { allReadyEndpointsOf: { name: 'web' } } }, { overrides: pattern(['web-a', 'web-b']) });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('1 of 3 ready endpoints of Service default/web served no request (web-c); 10 requests: web-a 5, web-b 5');
  });
  it('fails an uneven spread with the shares', async () => {
    const r = await runOne({ type: 'distribution', request: { url: 'http://web/' }, requests: 100, expect: { evenWithin: 0.1 } }, { overrides: pattern(['web-a', 'web-a', 'web-a', 'web-b']) });
    expect(r.message).toBe('pod web-a served 75% of the requests, but an even spread over 2 pods is 50% ± 10%; 100 requests: web-a 75, web-b 25');
  });
  it('measures shares by selector (canary)', async () => {
    const spec = { type: 'distribution', request: { url: 'http://web/' }, requests: 100, expect: { shares: [{ selector: { track: 'canary' }, share: 0.25, tolerance: 0.05 }] } };
    expect((await runOne(spec, { overrides: pattern(['web-a', 'web-b', 'web-a', 'web-c']) })).status).toBe('pass');
    const r = await runOne(spec, { overrides: pattern(['web-a', 'web-c']) });
    expect(r.message).toBe('pods with track=canary served 50% of the requests (50 of 100), expected 25% ± 5%; 100 requests: web-a 50, web-c 50');
  });
  it('takes the labels an answer carries (the simulator\'s) without reading the pod', async () => {
    let i = 0;
    // Pods the fake cluster does not hold: only the labels on the answers can say which is which.
    const http = (): HttpResult => {
      const canary = i++ % 4 === 0;
      return { ok: true, status: 200, headers: {}, body: '', servedBy: { pod: canary ? 'x-canary' : 'x-stable', namespace: 'default', labels: { track: canary ? 'canary' : 'stable' } }, trace: [] };
    };
    const r = await runOne({ type: 'distribution', request: { url: 'http://web/' }, requests: 100, expect: { shares: [{ selector: { track: 'canary' }, share: 0.25, tolerance: 0.01 }] } }, { overrides: { http } });
    expect(r.status).toBe('pass');
  });
  it('checks a single backend and keeps one connection when asked', async () => {
    const spread = await runOne({ type: 'distribution', request: { url: 'http://web/' }, requests: 6, expect: { singleBackend: true } });
    expect(spread.message).toBe('the requests were spread over 3 pods, but they should all reach the same pod; 6 requests: web-a 2, web-b 2, web-c 2');
    const keys: (string | undefined)[] = [];
    const pinned = await runOne({ type: 'distribution', request: { url: 'http://web/' }, requests: 5, keepAlive: true, expect: { singleBackend: true } }, {
      overrides: { http: (p) => (keys.push(p.connectionKey), { ok: true, status: 200, headers: {}, body: '', servedBy: { pod: 'web-b', namespace: 'default' }, trace: [] }) },
    });
    expect(pinned.status).toBe('pass');
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toBeDefined();
  });
  it('counts errors', async () => {
    const r = await runOne({ type: 'distribution', request: { url: 'http://web/' }, requests: 10, expect: { noErrors: true } }, { overrides: pattern(['web-a', null]) });
    expect(r.message).toBe('5 of 10 requests failed (5× connection refused); every request should be answered');
    expect(r.evidence[0]!.observed).toMatchObject({ errors: { 'connection refused': 5 } });
  });
  it('shows the path of the first dropped request when the first request was answered', async () => {
    let i = 0;
    const http = (): HttpResult => (i++ === 3
      ? { ok: false, error: 'timed out', trace: [{ component: 'node', detail: 'node kind-worker is down' }] }
      : { ok: true, status: 200, headers: {}, body: '', servedBy: { pod: 'web-a', namespace: 'default' }, trace: [{ component: 'pod', detail: 'web-a answers 200' }] });
    const r = await runOne({ type: 'distribution', request: { url: 'http://web/' }, requests: 6, expect: { noErrors: true } }, { overrides: { http } });
    expect(r.status).toBe('fail');
    expect(r.evidence[0]!.trace).toEqual([{ component: 'pod', detail: 'web-a answers 200' }]);
    expect(r.evidence[1]).toEqual({ path: 'request 4 of 6', expected: 'an answer from a pod', observed: 'timed out', trace: [{ component: 'node', detail: 'node kind-worker is down' }] });
    // When the first request already failed, its trace is the one shown; no second copy.
    const allFail = await runOne({ type: 'distribution', request: { url: 'http://web/' }, requests: 4, expect: { noErrors: true } }, { overrides: pattern([null]) });
    expect(allFail.evidence).toHaveLength(1);
  });
  it('counts gateway errors (502/503/504) as dropped requests, but an app\'s own 500 as its answer', async () => {
    let i = 0;
    const answers: HttpResult[] = [
      { ok: true, status: 200, headers: {}, body: 'a', servedBy: { pod: 'web-a', namespace: 'default' }, trace: [] },
      { ok: true, status: 503, headers: {}, body: '503 Service Temporarily Unavailable', trace: [] },
      { ok: true, status: 500, headers: {}, body: 'db down', servedBy: { pod: 'web-b', namespace: 'default' }, trace: [] },
      { ok: true, status: 502, headers: {}, body: '502 Bad Gateway', trace: [] },
    ];
    const r = await runOne({ type: 'distribution', request: { url: 'http://web/' }, requests: 8, expect: { noErrors: true } }, { overrides: { http: () => answers[i++ % answers.length]! } });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('4 of 8 requests failed (2× HTTP 503, 2× HTTP 502); every request should be answered');
    expect(r.evidence[0]!.observed).toEqual({ requests: 8, perPod: { 'default/web-a': 2, 'default/web-b': 2 }, errors: { 'HTTP 502': 2, 'HTTP 503': 2 } });
  });
});
