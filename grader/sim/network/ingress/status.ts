/**
 * The controller's status sync: every Ingress it handles gets status.loadBalancer.ingress =
 * [{hostname: localhost}] (kind's manifest runs it with --publish-status-address=localhost, so
 * `kubectl get ingress` shows ADDRESS localhost) once a controller pod is Ready; Ingresses it
 * does not handle get no address, and lose one it had set.
 */
import type { WatchEvent } from '../../api/store.ts';
import type { Ingress } from '../../api/types.ts';
import type { Controller } from '../../runtime/controller-manager.ts';
import type { ClusterContext } from '../../runtime/context.ts';
import type { IngressNginx } from './router.ts';
import { INGRESS_NAMESPACE } from './install.ts';
import { cloneApi } from '../../api/clone.ts';

export const PUBLISHED_ADDRESS = 'localhost';
const ALL = '*';

export class IngressStatusController implements Controller {
  readonly name = 'ingress-nginx-status';
  constructor(
    private readonly ctx: ClusterContext,
    private readonly nginx: IngressNginx,
    /** Whether an ingress-nginx controller pod is ready (an object, not a closure: see grader/sim/fork). */
    private readonly controller: { ingressControllerReady(): boolean },
  ) {}

  keysFor(ev: WatchEvent): string[] {
    const o = ev.object;
    if (o.kind === 'Ingress') return [`${o.metadata.namespace}/${o.metadata.name}`];
    if (o.kind === 'IngressClass' || (o.kind === 'Pod' && o.metadata.namespace === INGRESS_NAMESPACE)) return [ALL];
    return [];
  }

  sync(key: string): void {
    if (key === ALL) {
      for (const i of this.ctx.store.list('Ingress')) this.syncOne(i as Ingress);
      return;
    }
    const i = key.indexOf('/');
    const ing = this.ctx.store.get('Ingress', key.slice(0, i), key.slice(i + 1)) as Ingress | undefined;
    if (ing) this.syncOne(ing);
  }

  private syncOne(ing: Ingress): void {
    const cur = (ing.status?.loadBalancer?.ingress ?? []) as { hostname?: string; ip?: string }[];
    const ours = cur.length === 1 && cur[0]!.hostname === PUBLISHED_ADDRESS;
    const want = this.nginx.handles(ing).ok && this.controller.ingressControllerReady();
    if (want && !ours) {
      const next = cloneApi(ing);
      next.status = { ...(next.status ?? {}), loadBalancer: { ingress: [{ hostname: PUBLISHED_ADDRESS }] } };
      this.ctx.api.updateStatus(next);
    } else if (!want && ours) {
      const next = cloneApi(ing);
      next.status = { ...(next.status ?? {}), loadBalancer: {} };
      this.ctx.api.updateStatus(next);
    }
  }
}
