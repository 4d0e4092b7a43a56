/**
 * kubectl's table printing: a tabwriter with padding 3 and minimum cell width 6
 * (k8s.io/cli-runtime printers.GetNewTabWriter), ages as duration.HumanDuration prints them,
 * `-A` adding a NAMESPACE column, and "No resources found" when a list is empty.
 */
import type { ClusterContext } from '../runtime/context.ts';
import type { KubeObject } from '../api/types.ts';

export interface ViewOptions {
  wide?: boolean;
}

/** Aligned columns: every cell but the last padded to max(width + 3, 6). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(Math.max(widths[i]! + 3, 6))))
      .join('')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** AGE of an object (or `<unknown>` without a creationTimestamp), from the virtual clock. */
export function age(ctx: Pick<ClusterContext, 'clock'>, ts: string | undefined): string {
  if (!ts) return '<unknown>';
  return humanDuration(ctx.clock.now() - Date.parse(ts));
}

/** `a=b,c=d` (labels.FormatLabels: sorted keys), or `<none>`. */
export function formatLabels(l: Record<string, string> | undefined): string {
  const keys = Object.keys(l ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${l![k]}`).join(',') : '<none>';
}

/**
 * A `kubectl get` listing: rows for objects of `namespace` (or all, with a NAMESPACE column
 * first as `-A` prints), or kubectl's "No resources found" line.
 */
export function listing(
  objects: KubeObject[],
  namespace: string | undefined,
  namespaced: boolean,
  header: string[],
  row: (o: KubeObject) => string[],
): string {
  if (objects.length === 0) {
    return namespaced && namespace !== undefined ? `No resources found in ${namespace} namespace.` : 'No resources found';
  }
  if (namespaced && namespace === undefined) {
    return table(['NAMESPACE', ...header], objects.map((o) => [o.metadata.namespace ?? '', ...row(o)]));
  }
  return table(header, objects.map(row));
}
