/** `tcp`: open a TCP connection (host and port may use placeholders) and compare the outcome. */
import type { TcpResult } from '../../backend/types.ts';
import { type CheckContext, type CheckOf, type CheckOutcome, fail, pass } from '../types.ts';
import { describeOrigin, toProbeOrigin } from '../util/origin.ts';
import { resolvePlaceholders } from '../util/placeholders.ts';

export type TcpSpec = Pick<CheckOf<'tcp'>, 'from' | 'host' | 'port' | 'expect'>;

const MEANING: Record<TcpResult['result'], string> = {
  connected: 'the connection was accepted',
  refused: 'the connection was refused (nothing listens there, or the Service has no endpoints)',
  timeout: 'the connection timed out (the address is not served, or the node behind it is down)',
  unresolved: 'the host name did not resolve',
};

export async function exec(ctx: CheckContext<TcpSpec>): Promise<CheckOutcome> {
  const c = ctx.check;
  const host = await resolvePlaceholders(c.host, ctx.backend);
  const port = await resolvePlaceholders(String(c.port), ctx.backend);
  for (const r of [host, port]) {
    if (!r.ok) return fail(`cannot build the address ${c.host}:${c.port}: ${r.problem}`, [{ path: `tcp ${c.host}:${c.port}`, expected: c.expect, observed: r.problem }]);
  }
  const portNum = Number(port.ok ? port.value : NaN);
  if (!Number.isInteger(portNum) || portNum < 1 || portNum > 65535) throw new Error(`the port "${c.port}" is not a TCP port number`);
  const from = toProbeOrigin(c.from);
  const addr = `${host.ok ? host.value : c.host}:${portNum}`;
  const r = await ctx.backend.tcp({ from, host: host.ok ? host.value : c.host, port: portNum });
  const label = `tcp ${addr} from ${describeOrigin(from)}`;
  const served = r.servedBy ? ` by pod ${r.servedBy.namespace}/${r.servedBy.pod}` : '';
  const evidence = [{ path: label, expected: c.expect, observed: r.result + served, trace: r.trace }];
  if (r.result !== c.expect) return fail(`connecting to ${addr} from ${describeOrigin(from)}: ${MEANING[r.result]}${r.result === 'connected' ? served : ''}; expected ${c.expect}`, evidence);
  return pass(`connecting to ${addr} from ${describeOrigin(from)}: ${r.result}${served}, as expected`, evidence);
}
