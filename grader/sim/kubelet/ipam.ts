/**
 * Pod IPs as kind's CNI hands them out (kindnet: ptp + host-local IPAM on the node's podCIDR):
 * from .2 upwards, continuing after the last reserved address rather than reusing a freed one
 * (host-local's round-robin allocator), never an address still held.
 */
export class NodeIpam {
  private held = new Set<number>();
  private last = 1;
  constructor(private readonly base: number) {}

  static forCIDR(cidr: string): NodeIpam {
    const [ip] = cidr.split('/');
    const o = ip!.split('.').map(Number);
    return new NodeIpam(((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8)) >>> 0);
  }

  allocate(): string | undefined {
    for (let i = 0; i < 253; i++) {
      const host = ((this.last - 1 + i) % 253) + 2; // the address after the last one, within .2 … .254
      if (this.held.has(host)) continue;
      this.held.add(host);
      this.last = host;
      return toIP(this.base + host);
    }
    return undefined;
  }

  release(ip: string): void {
    const host = Number(ip.split('.')[3]);
    this.held.delete(host);
  }
}

function toIP(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
