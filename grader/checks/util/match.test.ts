import { describe, expect, it } from 'vitest';
import { matchPartial } from './match.ts';
import { formatPath, getPath, parsePath } from './fieldpath.ts';

describe('matchPartial', () => {
  it('ignores fields the expectation does not name', () => {
    expect(matchPartial({ spec: { type: 'NodePort' } }, { spec: { type: 'NodePort', clusterIP: '10.96.0.1' }, status: {} })).toEqual([]);
  });
  it('points at the differing field inside a list element', () => {
    const m = matchPartial({ spec: { ports: [{ port: 80, targetPort: 8080 }] } }, { spec: { ports: [{ port: 80, targetPort: 80 }] } });
    expect(m).toHaveLength(1);
    expect(formatPath(m[0]!.path)).toBe('spec.ports[0].targetPort');
    expect(m[0]!.expected).toBe(8080);
    expect(m[0]!.observed).toBe(80);
  });
  it('matches lists as sets, each expected element to its own observed element', () => {
    const observed = { ports: [{ port: 443 }, { port: 80 }] };
    expect(matchPartial({ ports: [{ port: 80 }, { port: 443 }] }, observed)).toEqual([]);
    expect(matchPartial({ ports: [{ port: 80 }, { port: 80 }] }, observed)).toHaveLength(1);
  });
  it('treats null as "must not be set"', () => {
    expect(matchPartial({ spec: { nodePort: null } }, { spec: {} })).toEqual([]);
    expect(matchPartial({ spec: { nodePort: null } }, { spec: { nodePort: 30001 } })).toHaveLength(1);
  });
  it('reports a missing field with observed undefined', () => {
    const m = matchPartial({ metadata: { labels: { app: 'web' } } }, { metadata: {} });
    expect(formatPath(m[0]!.path)).toBe('metadata.labels.app');
    expect(m[0]!.observed).toBeUndefined();
  });
});

describe('field paths', () => {
  it('parses dots, indexes and quoted keys', () => {
    expect(parsePath('status.loadBalancer.ingress[0].ip')).toEqual(['status', 'loadBalancer', 'ingress', 0, 'ip']);
    expect(parsePath('metadata.labels["app.kubernetes.io/name"]')).toEqual(['metadata', 'labels', 'app.kubernetes.io/name']);
    expect(formatPath(['metadata', 'labels', 'app.kubernetes.io/name'])).toBe('metadata.labels["app.kubernetes.io/name"]');
  });
  it('reads values and says when they are missing', () => {
    expect(getPath({ a: [{ b: 1 }] }, ['a', 0, 'b'])).toEqual({ found: true, value: 1 });
    expect(getPath({ a: [] }, ['a', 0, 'b']).found).toBe(false);
  });
});

describe('matchPartial reporting against the closest list element', () => {
  it('on a tie, reports the element that agrees on the first (identifying) key', () => {
    const pod = { status: { conditions: [
      { type: 'PodReadyToStartContainers', status: 'True' },
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'False' },
    ] } };
    const m = matchPartial({ status: { conditions: [{ type: 'Ready', status: 'True' }] } }, pod);
    expect(m).toHaveLength(1);
    expect(formatPath(m[0]!.path)).toBe('status.conditions[2].status');
    expect(m[0]!.observed).toBe('False');
  });
  it('keeps the element with fewer differences when there is no tie', () => {
    const m = matchPartial({ ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] }, { ports: [{ port: 80, targetPort: 80, protocol: 'UDP' }, { port: 443, targetPort: 8080, protocol: 'TCP' }] });
    expect(m.map((x) => formatPath(x.path))).toEqual(['ports[1].port']);
  });
});
