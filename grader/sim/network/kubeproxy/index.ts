export * from './balancer.ts';
export * from './iptables.ts';
export * from './ipvs.ts';
export * from './endpoints.ts';
export * from './proxy.ts';
