/** `kubectl get events` and the Events block of `kubectl describe`. */
import type { ClusterContext, ClusterEvent } from '../runtime/context.ts';
import { age, table } from './format.ts';

export function events(ctx: ClusterContext, namespace?: string): string {
  const list = ctx.events.events.filter((e) => namespace === undefined || e.object.namespace === namespace);
  if (list.length === 0) return namespace !== undefined ? `No resources found in ${namespace} namespace.` : 'No resources found';
  const rows = list.map((e) => {
    const row = [age(ctx, e.time), e.type, e.reason, `${e.object.kind.toLowerCase()}/${e.object.name}`, e.message];
    return namespace === undefined ? [e.object.namespace ?? '', ...row] : row;
  });
  const header = ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
  return table(namespace === undefined ? ['NAMESPACE', ...header] : header, rows);
}

/** The `Events:` section of describe, or `Events:  <none>`. */
export function describeEvents(ctx: ClusterContext, list: ClusterEvent[]): string {
  if (list.length === 0) return 'Events:                   <none>';
  const t = table(
    ['Type', 'Reason', 'Age', 'From', 'Message'],
    [['----', '------', '----', '----', '-------'], ...list.map((e) => [e.type, e.reason, age(ctx, e.time), e.source, e.message])],
  );
  return `Events:\n${t
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}`;
}
