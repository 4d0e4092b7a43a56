import { describe, expect, it } from 'vitest';
import { backendConformance } from '../conformance.case.ts';
import { SimBackend } from './sim-backend.ts';
import { createBackend } from '../create.ts';

backendConformance('sim', () => new SimBackend());

describe('SimBackend', () => {
  it('declares virtual time and per-response attribution', () => {
    const b = new SimBackend();
    expect(b.name).toBe('sim');
    expect(b.capabilities.virtualTime).toBe(true);
    expect(b.capabilities.attributesEveryResponse).toBe(true);
  });
  it('is created by name, and says clearly when used before start', async () => {
    const b = await createBackend('sim');
    expect(b).toBeInstanceOf(SimBackend);
    await expect(b.get({ kind: 'Service', namespace: 'default', name: 'x' })).rejects.toThrow(/not started/);
  });
  it('hands out copies, so callers cannot change the cluster', async () => {
    const b = new SimBackend();
    await b.start({ workers: 1, proxyMode: 'iptables', ingress: false, loadBalancer: false }, { seed: 1 });
    const svc = await b.get({ kind: 'Service', namespace: 'default', name: 'kubernetes' });
    expect(svc).toBeDefined();
    svc!.spec.clusterIP = '1.2.3.4';
    expect((await b.get({ kind: 'Service', namespace: 'default', name: 'kubernetes' }))!.spec.clusterIP).not.toBe('1.2.3.4');
  });
});

describe('createBackend', () => {
  it('explains when the kind backend is missing or unusable', async () => {
    const got = await createBackend('kind').then((b) => b.name, (e: Error) => e.message);
    // Either the kind backend is present and constructs, or the error says what to do instead.
    expect(got).toMatch(/^kind$|the kind backend/);
  });
});
