/**
 * Probe outcomes (pkg/probe/http, pkg/probe/tcp): an httpGet or tcpSocket probe succeeds when
 * the container's process listens on that port (named ports resolve through the container's
 * ports) and, for HTTP, answers 200–399; exec probes run the command, which the simulator
 * counts as a success. Failure messages are the kubelet's.
 */
import type { Container, Probe } from '../api/types.ts';
import type { ContainerRuntimeInfo, ImageSpec, ProcessNetwork } from '../images/types.ts';

export type ProbeOutcome = { ok: true } | { ok: false; message: string };

export function resolveProbePort(port: number | string, c: Container): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

export function runProbe(probe: Probe, info: ContainerRuntimeInfo, spec: ImageSpec, ip: string, net: ProcessNetwork): ProbeOutcome {
  if (probe.exec || (probe as { grpc?: unknown }).grpc === undefined && !probe.httpGet && !probe.tcpSocket) return { ok: true };
  const listeners = spec.listeners(info).filter((l) => l.protocol === 'TCP');
  if ((probe as { grpc?: { port: number } }).grpc) {
    const port = (probe as { grpc: { port: number } }).grpc.port;
    return listeners.some((l) => l.port === port) ? { ok: true } : { ok: false, message: `timeout: failed to connect service "${ip}:${port}" within 1s: context deadline exceeded` };
  }
  if (probe.tcpSocket) {
    const port = resolveProbePort(probe.tcpSocket.port, info.container);
    if (port === undefined) return { ok: false, message: `unable to find port "${probe.tcpSocket.port}"` };
    return listeners.some((l) => l.port === port) ? { ok: true } : { ok: false, message: `dial tcp ${ip}:${port}: connect: connection refused` };
  }
  const g = probe.httpGet!;
  const port = resolveProbePort(g.port, info.container);
  const scheme = (g.scheme ?? 'HTTP').toLowerCase();
  const path = g.path ?? '/';
  const url = `${scheme}://${ip}:${port}${path.startsWith('/') ? path : `/${path}`}`;
  if (port === undefined) return { ok: false, message: `unable to find port "${g.port}"` };
  const l = listeners.find((x) => x.port === port);
  if (!l) return { ok: false, message: `Get "${url}": dial tcp ${ip}:${port}: connect: connection refused` };
  if (l.app !== 'http' && l.app !== 'https') return { ok: false, message: `Get "${url}": net/http: HTTP/1.x transport connection broken: malformed HTTP response` };
  if (!spec.http) return { ok: true };
  const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.31', accept: '*/*' };
  for (const h of (g as { httpHeaders?: { name: string; value: string }[] }).httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value;
  const reply = spec.http(info, { method: 'GET', path, host: headers.host ?? `${ip}:${port}`, port, headers, remoteAddr: `${info.pod.status?.hostIP ?? ''}:0` }, net);
  if (reply.status >= 200 && reply.status < 400) return { ok: true };
  return { ok: false, message: `HTTP probe failed with statuscode: ${reply.status}` };
}
