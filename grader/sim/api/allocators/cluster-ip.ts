/**
 * ClusterIP allocation from the service CIDR (kind: 10.96.0.0/16), as the bitmap ipallocator
 * of pkg/registry/core/service/ipallocator: the network and broadcast addresses are never
 * handed out, 10.96.0.1 goes to the `kubernetes` Service at bootstrap, dynamic addresses come
 * at random (seeded) from above the static band (the first 256 addresses of a /16), so an
 * explicitly requested low address such as kube-dns's 10.96.0.10 stays free for its owner.
 */
import type { Rng } from '../../../util/rng.ts';
import { RangeAllocator, rangeOffset } from './range.ts';

export function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export type IpAllocError = { ok: false; message: string };

export class ClusterIPAllocator {
  private readonly range: RangeAllocator;
  readonly cidr: string;

  constructor(cidr: string, rng: Rng) {
    const [base, bitsText] = cidr.split('/');
    const bits = Number(bitsText);
    const baseInt = ipToInt(base ?? '');
    if (baseInt === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) throw new Error(`bad service CIDR ${cidr}`);
    const size = 2 ** (32 - bits);
    const network = baseInt - (baseInt % size);
    this.cidr = `${intToIp(network)}/${bits}`;
    // First usable is network+1, last is broadcast-1 (IPv4).
    const usable = size - 2;
    this.range = new RangeAllocator(network + 1, network + size - 2, rangeOffset(usable, 16, 256, 16), rng);
  }

  /** Reserve a requested address. The message is the ipallocator's own. */
  allocate(ip: string): { ok: true } | IpAllocError {
    const n = ipToInt(ip);
    if (n === undefined || n < this.range.first || n > this.range.last) {
      return { ok: false, message: `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${this.cidr}` };
    }
    if (this.range.allocate(n) === 'allocated') return { ok: false, message: 'provided IP is already allocated' };
    return { ok: true };
  }

  allocateNext(): string | undefined {
    const n = this.range.allocateNext();
    return n === undefined ? undefined : intToIp(n);
  }

  release(ip: string | undefined): void {
    const n = ip ? ipToInt(ip) : undefined;
    if (n !== undefined) this.range.release(n);
  }

  has(ip: string): boolean {
    const n = ipToInt(ip);
    return n !== undefined && this.range.has(n);
  }
}
