/** `kubectl get pods [-o wide]`: READY, STATUS and RESTARTS computed as printPod does (pkg/printers/internalversion/printers.go). */
import type { ClusterContext } from '../runtime/context.ts';
import type { KubeObject, Pod } from '../api/types.ts';
import { type ViewOptions, age, listing } from './format.ts';

/** The node lifecycle controller's reason for pods on a lost node (pkg/util/node NodeUnreachablePodReason). */
const NODE_UNREACHABLE_REASON = 'NodeLost';

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

export function summarizePod(ctx: Pick<ClusterContext, 'clock'>, pod: Pod): PodSummary {
  const spec = pod.spec ?? ({} as Pod['spec']);
  const st = (pod.status ?? {}) as any;
  const total = (spec.containers ?? []).length;
  let ready = 0;
  let restarts = 0;
  let reason: string = st.reason || st.phase || 'Pending';
  let lastRestart = 0;
  let initializing = false;
  const initStatuses: any[] = st.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    const term = c.state?.terminated;
    const wait = c.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (term) reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode}`;
    else if (wait?.reason && wait.reason !== 'PodInitializing') reason = `Init:${wait.reason}`;
    else reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    initializing = true;
    break;
  }
  const initializedTrue = (st.conditions ?? []).some((c: any) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = 0;
    let hasRunning = false;
    const statuses: any[] = st.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      const lt = c.lastState?.terminated ?? c.lastTerminationState?.terminated;
      if (lt?.finishedAt) lastRestart = Math.max(lastRestart, Date.parse(lt.finishedAt));
      const wait = c.state?.waiting;
      const term = c.state?.terminated;
      if (wait?.reason) reason = wait.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = (st.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }
  const terminal = st.phase === 'Succeeded' || st.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && st.reason === NODE_UNREACHABLE_REASON) reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) reason = 'Terminating';
  const restartsText = restarts !== 0 && lastRestart ? `${restarts} (${age(ctx, new Date(lastRestart).toISOString())} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

export function getPods(ctx: ClusterContext, namespace: string | undefined, opts: ViewOptions = {}): string {
  const pods = ctx.store.list('Pod', namespace);
  const header = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
  if (opts.wide) header.push('IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES');
  return listing(pods, namespace, true, header, (o: KubeObject) => {
    const pod = o as Pod;
    const s = summarizePod(ctx, pod);
    const row = [pod.metadata.name, s.ready, s.status, s.restarts, age(ctx, pod.metadata.creationTimestamp)];
    if (opts.wide) {
      const gates: any[] = (pod.spec as any)?.readinessGates ?? [];
      const gatesText = gates.length
        ? `${gates.filter((g) => (pod.status?.conditions ?? []).some((c) => c.type === g.conditionType && c.status === 'True')).length}/${gates.length}`
        : '<none>';
      row.push(pod.status?.podIP || '<none>', pod.spec?.nodeName || '<none>', (pod.status as any)?.nominatedNodeName || '<none>', gatesText);
    }
    return row;
  });
}
