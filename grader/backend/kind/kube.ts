/**
 * The narrow slice of the Kubernetes API the kind backend uses, so the backend's logic can
 * be tested with a fake and the real client (@kubernetes/client-node) stays at the edge.
 */
import type { KubeObject } from '../../sim/api/types.ts';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface KubeClient {
  /** Server-side apply with our field manager (force: the grader owns these objects). */
  apply(obj: KubeObject): Promise<KubeObject>;
  get(kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  list(kind: string, namespace?: string): Promise<KubeObject[]>;
  delete(kind: string, namespace: string | undefined, name: string, opts?: { gracePeriodSeconds?: number; force?: boolean }): Promise<void>;
  /** JSON merge patch (scale, image changes, taints). */
  patch(kind: string, namespace: string | undefined, name: string, patch: Record<string, unknown>): Promise<void>;
  exec(namespace: string, pod: string, container: string, command: string[], timeoutMs: number): Promise<ExecResult>;
}

/** apiVersion for each kind a check may read by kind alone. */
export const API_VERSIONS: Record<string, string> = {
  Pod: 'v1', Service: 'v1', Endpoints: 'v1', ConfigMap: 'v1', Secret: 'v1', Namespace: 'v1', Node: 'v1',
  PersistentVolumeClaim: 'v1', PersistentVolume: 'v1', Event: 'v1', ResourceQuota: 'v1', ServiceAccount: 'v1',
  ReplicationController: 'v1',
  Deployment: 'apps/v1', ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1',
  Ingress: 'networking.k8s.io/v1', IngressClass: 'networking.k8s.io/v1',
  EndpointSlice: 'discovery.k8s.io/v1', StorageClass: 'storage.k8s.io/v1', Job: 'batch/v1',
};

export const FIELD_MANAGER = 'kubelab';

function apiVersionOf(kind: string): string {
  const v = API_VERSIONS[kind];
  if (!v) throw new Error(`kubelab does not know the apiVersion of kind ${kind}`);
  return v;
}

/** The real client. Loaded lazily: the simulator path never imports @kubernetes/client-node. */
export async function createKubeClient(kubeconfigPath: string, context?: string): Promise<KubeClient> {
  const k8s = await import('@kubernetes/client-node');
  const { Writable } = await import('node:stream');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  if (context) kc.setCurrentContext(context);
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  const exec = new k8s.Exec(kc);
  const notFound = (e: any) => e?.code === 404 || e?.statusCode === 404 || /404|not found/i.test(String(e?.body ?? e?.message ?? ''));

  return {
    async apply(obj) {
      const res = await api.patch(obj as any, undefined, undefined, FIELD_MANAGER, true, k8s.PatchStrategy.ServerSideApply);
      return res as unknown as KubeObject;
    },
    async get(kind, namespace, name) {
      try {
        return (await api.read({ apiVersion: apiVersionOf(kind), kind, metadata: { name, namespace } })) as unknown as KubeObject;
      } catch (e) {
        if (notFound(e)) return undefined;
        throw e;
      }
    },
    async list(kind, namespace) {
      const res = await api.list(apiVersionOf(kind), kind, namespace);
      return (res.items as unknown as KubeObject[]).map((o) => ({ ...o, apiVersion: apiVersionOf(kind), kind }));
    },
    async delete(kind, namespace, name, opts = {}) {
      try {
        await api.delete({ apiVersion: apiVersionOf(kind), kind, metadata: { name, namespace } }, undefined, undefined, opts.force ? 0 : opts.gracePeriodSeconds, undefined, 'Background');
      } catch (e) {
        if (!notFound(e)) throw e;
      }
    },
    async patch(kind, namespace, name, patch) {
      await api.patch({ apiVersion: apiVersionOf(kind), kind, metadata: { name, namespace }, ...patch } as any, undefined, undefined, FIELD_MANAGER, undefined, k8s.PatchStrategy.MergePatch);
    },
    exec(namespace, pod, container, command, timeoutMs) {
      return new Promise<ExecResult>((resolve, reject) => {
        let stdout = '';
        let stderr = '';
        const out = new Writable({ write(c, _e, cb) { stdout += c.toString(); cb(); } });
        const err = new Writable({ write(c, _e, cb) { stderr += c.toString(); cb(); } });
        const timer = setTimeout(() => resolve({ exitCode: 124, stdout, stderr: `${stderr}\nexec timed out after ${timeoutMs} ms` }), timeoutMs);
        exec
          .exec(namespace, pod, container, command, out, err, null, false, (status: any) => {
            clearTimeout(timer);
            const code = status?.status === 'Success' ? 0 : Number(status?.details?.causes?.find((c: any) => c.reason === 'ExitCode')?.message ?? 1);
            resolve({ exitCode: code, stdout, stderr });
          })
          .catch((e: unknown) => {
            clearTimeout(timer);
            reject(e);
          });
      });
    },
  };
}
