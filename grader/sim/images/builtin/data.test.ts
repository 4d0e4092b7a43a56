/** Database-facing images through the whole simulated cluster: what their HTTP endpoints report. */
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { SimCluster } from '../../cluster.ts';
import type { KubeObject } from '../../api/types.ts';

function cluster(yaml: string) {
  const c = new SimCluster({ seed: 3, workers: 2 });
  const objects = YAML.parseAllDocuments(yaml).map((d) => d.toJSON() as KubeObject | null).filter((o): o is KubeObject => !!o);
  expect(c.apply(objects.map((object) => ({ object, file: 't.yaml', line: 1 }))).failed).toEqual([]);
  expect(c.waitForRollout(300).complete).toBe(true);
  return c;
}

const pod = (name: string, containers: string, labels = `{app: ${name}}`) => `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: ${labels}}
spec:
  containers:
${containers}
---
`;

describe('mongodb exporter', () => {
  it('mongodb_up is 1 for localhost when a mongod runs in the same pod, or for a host that reaches one; 0 otherwise', () => {
    const c = cluster(
      pod('sidecar', '  - {name: mongo, image: "mongo:7"}\n  - {name: exporter, image: "percona/mongodb_exporter:0.40", args: ["--mongodb.uri=mongodb://127.0.0.1:27017"]}')
      + pod('bitnami', '  - {name: mongo, image: "bitnami/mongodb:7.0"}\n  - {name: exporter, image: "bitnami/mongodb-exporter:0.40", env: [{name: MONGODB_URI, value: "mongodb://user:pw@localhost:27017/admin?ssl=false"}]}')
      + pod('alone', '  - {name: exporter, image: "percona/mongodb_exporter:0.40", args: ["--mongodb.uri=mongodb://localhost:27017"]}')
      + pod('mongo', '  - {name: mongo, image: "mongo:7"}')
      + 'apiVersion: v1\nkind: Service\nmetadata: {name: mongo}\nspec: {selector: {app: mongo}, ports: [{port: 27017}]}\n---\n'
      + pod('remote', '  - {name: exporter, image: "percona/mongodb_exporter:0.40", env: [{name: MONGODB_URI, value: "mongodb://mongo:27017"}]}')
      + pod('wrong', '  - {name: exporter, image: "percona/mongodb_exporter:0.40", env: [{name: MONGODB_URI, value: "mongodb://mongo-0.nowhere:27017"}]}'),
    );
    const up = (name: string) => {
      const ip = c.ctx.store.get('Pod', 'default', name)!.status!.podIP;
      const r = c.net.http({ from: { kind: 'pod', namespace: 'default' }, url: `http://${ip}:9216/metrics` });
      if (!r.ok) throw new Error(r.error);
      return /^mongodb_up (\d)$/m.exec(r.body)?.[1];
    };
    expect(up('sidecar')).toBe('1');
    expect(up('bitnami')).toBe('1');
    expect(up('remote')).toBe('1');
    expect(up('alone')).toBe('0');
    expect(up('wrong')).toBe('0');
  });
});
