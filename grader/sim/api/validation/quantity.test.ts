import { describe, expect, it } from 'vitest';
import { canonicalQuantity, canonicalizeQuantities, parseQuantity, QUANTITY_REGEX_ERROR } from './quantity.ts';
import { errorOf, newApiServer, y } from '../test-helpers.ts';

describe('resource.Quantity canonical form', () => {
  it.each([
    [0.5, '500m'], ['0.5', '500m'], ['1000m', '1'], [1, '1'], ['1500m', '1500m'], [2000, '2k'], ['1.5', '1500m'],
    ['1Gi', '1Gi'], ['1024Mi', '1Gi'], ['0.5Gi', '512Mi'], ['1536Mi', '1536Mi'], ['1.5Ki', '1536'], ['512', '512'],
    ['1e3', '1e3'], ['1.5e3', '1500'], ['129e6', '129e6'], ['1000e3', '1e6'], ['1G', '1G'], ['128974848', '128974848'],
    ['0', '0'], ['0Gi', '0'], ['-0.5', '-500m'], ['0.0000000001', '1n'], ['100m', '100m'], [' 250m ', '250m'], ['0.1Ki', '102400m'],
  ])('%j → %s', (input, want) => {
    expect(canonicalQuantity(input)).toBe(want);
  });

  it('refuses what the decoder refuses', () => {
    expect(() => parseQuantity('abc')).toThrow(QUANTITY_REGEX_ERROR);
    expect(() => parseQuantity('1.2.3')).toThrow(QUANTITY_REGEX_ERROR);
    expect(() => parseQuantity('5X')).toThrow(QUANTITY_REGEX_ERROR);
    expect(() => parseQuantity('5Ke')).toThrow("unable to parse quantity's suffix");
  });

  it('rewrites container resources, claim templates and quota in place', () => {
    const sts = {
      kind: 'StatefulSet',
      spec: {
        template: { spec: { containers: [{ name: 'c', resources: { limits: { cpu: 0.5, memory: '1024Mi' }, requests: { cpu: '1000m' } } }] } },
        volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '2048Mi' } } } }],
      },
    };
    canonicalizeQuantities(sts);
    expect(sts.spec.template.spec.containers[0]!.resources).toEqual({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '1' } });
    expect(sts.spec.volumeClaimTemplates[0]!.spec.resources.requests.storage).toBe('2Gi');
    const quota = { kind: 'ResourceQuota', spec: { hard: { 'requests.cpu': 2, pods: 10, 'limits.memory': '2048Mi' } } };
    canonicalizeQuantities(quota);
    expect(quota.spec.hard).toEqual({ 'requests.cpu': '2', pods: '10', 'limits.memory': '2Gi' });
  });
});

describe('the apiserver stores canonical quantities', () => {
  it('a Pod with cpu: 0.5 is stored as "500m"; the last-applied annotation keeps what kubectl sent', () => {
    const { api, store } = newApiServer();
    api.apply(y('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx, resources: {limits: {cpu: 0.5, memory: 1Gi}, requests: {cpu: "1000m"}}}]}\n'));
    const p = store.get('Pod', 'default', 'p')!;
    expect(p.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '1' } });
    expect(p.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']).toContain('"cpu":0.5');
  });

  it('re-applying a non-canonical quantity reports "configured" although nothing changes (kubernetes/kubernetes#116135)', () => {
    const { api, store } = newApiServer();
    const doc = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx, resources: {limits: {cpu: 0.5}}}]}\n';
    api.apply(y(doc));
    const rv = store.get('Pod', 'default', 'p')!.metadata.resourceVersion;
    expect(api.apply(y(doc)).action).toBe('configured');
    expect(store.get('Pod', 'default', 'p')!.metadata.resourceVersion).toBe(rv);
  });

  it('a PVC request of 1024Mi is stored as 1Gi', () => {
    const { api, store } = newApiServer();
    api.apply(y('apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1024Mi}}}\n'));
    expect(store.get('PersistentVolumeClaim', 'default', 'c')!.spec.resources.requests.storage).toBe('1Gi');
  });

  it('an unparsable quantity is a decode error', () => {
    const { api } = newApiServer();
    expect(errorOf(() => api.apply(y('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx, resources: {limits: {cpu: lots}}}]}\n')))).toBe(
      `Pod in version "v1" cannot be handled as a Pod: ${QUANTITY_REGEX_ERROR}`,
    );
  });
});
