/** Scenario `do:` steps as Backend actions. Names are resolved here, so backends get plain facts. */
import type { Action, ActionResult, Backend } from '../../backend/types.ts';
import type { ActionSpec } from '../../lab/schema.ts';
import type { LoadedDocument } from '../../manifests/types.ts';
import { podsMatching } from '../util/cluster.ts';
import { parseDuration } from '../util/duration.ts';
import { labelString } from '../util/refs.ts';

export type ActionRun =
  | { ok: true; summary: string; approximation?: string }
  | { ok: false; problem: string }
  | { ok: 'skip'; reason: string };

export function describeAction(a: ActionSpec): string {
  if ('killNode' in a) return typeof a.killNode === 'string' ? `killNode ${a.killNode}` : `killNode (the node of the first pod with ${labelString(a.killNode.nodeOf.selector)})`;
  if ('restoreNode' in a) return `restoreNode ${a.restoreNode}`;
  if ('deleteNode' in a) return `deleteNode ${a.deleteNode}`;
  if ('addNode' in a) return `addNode${a.addNode.name ? ` ${a.addNode.name}` : ''}`;
  if ('deletePod' in a) return `deletePod ${a.deletePod.name ?? labelString(a.deletePod.selector)}${a.deletePod.force ? ' --force' : ''}`;
  if ('scale' in a) return `scale ${a.scale.kind} ${a.scale.namespace}/${a.scale.name} to ${a.scale.replicas}`;
  if ('setImage' in a) return `set image ${a.setImage.kind} ${a.setImage.namespace}/${a.setImage.name} ${a.setImage.container}=${a.setImage.image}`;
  if ('applyLabFiles' in a) return `apply ${a.applyLabFiles}`;
  if ('advance' in a) return `advance ${a.advance}`;
  return `wait for rollout (up to ${a.waitForRollout})`;
}

export interface ActionEnv {
  backend: Backend;
  loadLabFiles(rel: string): Promise<LoadedDocument[]>;
  /** The scenario's `kind.maxWaitSeconds`: on a real cluster, longer waits are skipped, not guessed. */
  maxWaitSeconds?: number;
}

const done = (r: ActionResult): ActionRun => (r.approximation ? { ok: true, summary: r.summary, approximation: r.approximation } : { ok: true, summary: r.summary });

export async function runAction(env: ActionEnv, a: ActionSpec): Promise<ActionRun> {
  const b = env.backend;
  const act = async (x: Action) => done(await b.act(x));
  if ('killNode' in a) {
    let node: string;
    if (typeof a.killNode === 'string') node = a.killNode;
    else {
      const { namespace, selector } = a.killNode.nodeOf;
      // The first matching pod by name, so the same node is chosen on every run.
      const pod = (await podsMatching(b, namespace, selector)).find((p) => p.spec.nodeName);
      if (!pod) return { ok: false, problem: `no scheduled pod with ${labelString(selector)} in namespace ${namespace}, so there is no node to stop` };
      node = pod.spec.nodeName!;
    }
    const r = await act({ type: 'killNode', node });
    return r.ok === true ? { ...r, summary: r.summary || `stopped node ${node}` } : r;
  }
  if ('restoreNode' in a) return act({ type: 'restoreNode', node: a.restoreNode });
  if ('deleteNode' in a) return act({ type: 'deleteNode', node: a.deleteNode });
  if ('addNode' in a) return act(a.addNode.name ? { type: 'addNode', name: a.addNode.name } : { type: 'addNode' });
  if ('deletePod' in a) {
    const { namespace, name, selector, force } = a.deletePod;
    const names = name ? [name] : (await podsMatching(b, namespace, selector ?? {})).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
    if (names.length === 0) return { ok: false, problem: `no pod with ${labelString(selector)} in namespace ${namespace} to delete` };
    const summaries: string[] = [];
    for (const n of names) summaries.push((await b.act({ type: 'deletePod', namespace, name: n, force })).summary);
    return { ok: true, summary: summaries.join('; ') };
  }
  if ('scale' in a) return act({ type: 'scale', ...a.scale });
  if ('setImage' in a) return act({ type: 'setImage', ...a.setImage });
  if ('applyLabFiles' in a) return act({ type: 'apply', documents: await env.loadLabFiles(a.applyLabFiles) });
  if ('advance' in a) {
    const seconds = parseDuration(a.advance);
    const limit = Math.min(b.capabilities.maxAdvanceSeconds, b.capabilities.virtualTime ? Infinity : (env.maxWaitSeconds ?? Infinity));
    if (seconds > limit) return { ok: 'skip', reason: `the ${b.name} backend cannot wait ${a.advance} (at most ${limit} s)` };
    return act({ type: 'advance', seconds });
  }
  const seconds = parseDuration(a.waitForRollout);
  const r = await b.waitForRollout(seconds);
  const pending = r.workloads.filter((w) => !w.ready).map((w) => w.message);
  return { ok: true, summary: r.complete ? `rollout complete after ${r.waitedSeconds} s` : `rollout not complete after ${r.waitedSeconds} s: ${pending.join('; ')}` };
}
