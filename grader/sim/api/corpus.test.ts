import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../manifests/load.ts';
import { newApiServer } from './test-helpers.ts';

const CORPUS = '/work/shared/corpus/real-world';

describe('the real-world corpus through the apiserver', async () => {
  const docs = (await loadManifests(CORPUS)).filter((d) => !d.file.startsWith('_variants/'));
  const files = [...new Set(docs.map((d) => d.file))];

  it.each(files.map((f) => [f]))('%s applies on a fresh cluster (or fails as INDEX.md predicts)', (file) => {
    const { api } = newApiServer();
    for (const d of docs.filter((x) => x.file === file)) {
      try {
        api.apply(d.object);
      } catch (e) {
        const msg = (e as Error).message;
        // Expected: the ingress-nginx namespace is not part of the corpus; MetalLB kinds need their CRDs.
        expect(msg).toMatch(/^namespaces "ingress-nginx" not found$|^no matches for kind "(IPAddressPool|L2Advertisement)" in version "metallb.io\/v1beta1"$/);
      }
    }
  });

  it('applying everything into one namespace fails exactly on the documented collisions', () => {
    const { api } = newApiServer();
    const failures: string[] = [];
    for (const d of docs) {
      try {
        api.apply(d.object);
      } catch (e) {
        failures.push(`${d.object.kind}/${d.object.metadata.name}: ${(e as Error).message.split(':')[0]}`);
      }
    }
    expect(failures.filter((f) => !/ingress-nginx" not found|no matches for kind/.test(f))).toEqual([
      'Deployment/redis-master: The Deployment "redis-master" is invalid',
      'StatefulSet/cassandra: The StatefulSet "cassandra" is invalid',
      'Service/mysql: The Service "mysql" is invalid',
      'Service/nginx: The Service "nginx" is invalid',
      'Deployment/frontend: The Deployment "frontend" is invalid',
      'Deployment/my-nginx: The Deployment "my-nginx" is invalid',
      'Deployment/my-nginx: The Deployment "my-nginx" is invalid',
    ]);
  });

  it('gives the static-ip LoadBalancer two nodePorts and a healthCheckNodePort', () => {
    const { api, store } = newApiServer();
    for (const d of docs.filter((x) => x.file.endsWith('static-ip-svc.yaml'))) api.apply(d.object);
    const s = store.list('Service').find((x) => x.metadata.name !== 'kubernetes')!;
    expect(s.spec.ports.every((p: { nodePort?: number }) => p.nodePort! >= 30000 && p.nodePort! <= 32767)).toBe(true);
    expect(s.spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
  });

  it('defaults the nodejs-mongodb ReplicationController selector from its template', () => {
    const { api, store } = newApiServer();
    for (const d of docs.filter((x) => x.file.includes('nodesjs-mongodb/mongo-controller'))) api.apply(d.object);
    const rc = store.list('ReplicationController')[0]!;
    expect(rc.spec.selector).toEqual(rc.spec.template.metadata.labels);
  });

  it('rejects the old v1beta1 example-ingress variant', async () => {
    const [d] = await loadManifests(`${CORPUS}/_variants/kubernetes__website/3e76786ba68f1fbb01d4a4f6fe9340e3f7b1fca1/content/en/examples/service/networking/example-ingress.yaml`);
    const { api } = newApiServer();
    expect(() => api.apply(d!.object)).toThrow('no matches for kind "Ingress" in version "networking.k8s.io/v1beta1"');
  });
});
