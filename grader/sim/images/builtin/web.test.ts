import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog.ts';
import type { ContainerRuntimeInfo, ImageSpec, ProcessNetwork } from '../types.ts';
import type { Container, Pod } from '../../api/types.ts';

const URL = 'http://dns-backend.development.svc.cluster.local:8000';

function client(net: ProcessNetwork | undefined, command: string[] | null = ['python', 'client.py', URL]): { spec: ImageSpec; info: ContainerRuntimeInfo } {
  const c: Container = { name: 'dns-frontend', image: 'registry.k8s.io/example-dns-frontend:v1', ...(command ? { command } : {}) };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dns-frontend', namespace: 'production' }, spec: { containers: [c] }, status: { podIP: '10.244.1.9' } } as Pod;
  const backend = new Catalog().lookup('registry.k8s.io/example-dns-backend:v1')!;
  const info: ContainerRuntimeInfo = {
    pod, container: c, env: {}, command: command ?? undefined, args: [],
    network: net ? () => net : undefined,
    peer: () => ({ info: { pod, container: c, env: {}, args: [] }, image: backend, net: net! }),
  };
  return { spec: new Catalog().lookup(c.image)!, info };
}

describe('example-dns-frontend (client.py)', () => {
  it('resolves, requests once, prints the answer and completes', () => {
    const net: ProcessNetwork = { resolve: (n) => (n === 'dns-backend.development.svc.cluster.local' ? '10.96.12.34' : undefined), connect: () => ({ ok: true, app: 'http', pod: 'dns-backend-x', namespace: 'development' }) };
    const { spec, info } = client(net);
    expect(spec.listeners(info)).toEqual([]);
    expect(spec.crashReason!(info)).toBeUndefined();
    expect(spec.completes!(info)).toBe(true);
    expect(spec.logs!(info)).toEqual(['10.96.12.34', `Send request to: ${URL}`, '<Response [200]>', 'Hello World!']);
  });

  it('an unresolvable name is an uncaught socket.gaierror: the process fails', () => {
    const { spec, info } = client({ resolve: () => undefined, connect: () => ({ ok: false, error: 'x' }) });
    expect(spec.completes!(info)).toBe(false);
    expect(spec.crashReason!(info)).toMatch(/socket\.gaierror: \[Errno -2\] Name or service not known$/);
  });

  it('a refused connection fails after printing the address', () => {
    const { spec, info } = client({ resolve: () => '10.96.12.34', connect: () => ({ ok: false, error: 'refused' }) });
    expect(spec.logs!(info)).toEqual(['10.96.12.34', `Send request to: ${URL}`]);
    expect(spec.crashReason!(info)).toMatch(/requests\.exceptions\.ConnectionError: .*Connection refused/);
  });

  it('the image CMD `python client.py` has no address: argparse exits with usage', () => {
    const { spec, info } = client(undefined, null);
    expect(spec.crashReason!(info)).toContain('the following arguments are required: address');
  });
});
