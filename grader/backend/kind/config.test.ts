import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { KIND_NODE_IMAGE, generateKindConfig, metallbPoolFor } from './config.ts';

describe('generateKindConfig', () => {
  it('makes one control plane and N workers on the pinned image', () => {
    const cfg = YAML.parse(generateKindConfig({ workers: 3, proxyMode: 'iptables', ingress: false, loadBalancer: true }));
    expect(cfg.kind).toBe('Cluster');
    expect(cfg.apiVersion).toBe('kind.x-k8s.io/v1alpha4');
    expect(cfg.nodes.map((n: any) => n.role)).toEqual(['control-plane', 'worker', 'worker', 'worker']);
    expect(cfg.nodes.every((n: any) => n.image === KIND_NODE_IMAGE)).toBe(true);
    expect(KIND_NODE_IMAGE).toMatch(/^kindest\/node:v1\.31\.\d+@sha256:[0-9a-f]{64}$/);
    expect(cfg.networking).toEqual({ podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' });
  });

  it('labels the control plane ingress-ready and maps 80/443 when the lab needs ingress', () => {
    const cfg = YAML.parse(generateKindConfig({ workers: 1, proxyMode: 'ipvs', ingress: true, loadBalancer: false }, { hostPorts: { http: 80, https: 443 } }));
    const cp = cfg.nodes[0];
    expect(cp.kubeadmConfigPatches[0]).toContain('ingress-ready=true');
    expect(cp.extraPortMappings).toEqual([
      { containerPort: 80, hostPort: 80, protocol: 'TCP' },
      { containerPort: 443, hostPort: 443, protocol: 'TCP' },
    ]);
    expect(cfg.networking.kubeProxyMode).toBe('ipvs');
  });

  it('is deterministic', () => {
    const shape = { workers: 2, proxyMode: 'iptables' as const, ingress: true, loadBalancer: true };
    expect(generateKindConfig(shape)).toBe(generateKindConfig(shape));
  });
});

describe('metallbPoolFor', () => {
  it('takes the top of a /16 as kind\'s LoadBalancer guide does', () => {
    expect(metallbPoolFor('172.18.0.0/16')).toEqual({ first: '172.18.255.200', last: '172.18.255.250' });
  });
  it('stays inside a small network', () => {
    expect(metallbPoolFor('192.168.50.0/24')).toEqual({ first: '192.168.50.200', last: '192.168.50.250' });
  });
  it('rejects what is not an IPv4 CIDR', () => {
    expect(() => metallbPoolFor('fc00:f853:ccd:e793::/64')).toThrow(/IPv4/);
  });
});
