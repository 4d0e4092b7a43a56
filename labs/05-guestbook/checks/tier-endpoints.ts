/**
 * Endpoint counts per tier: each Service must have exactly the expected number of ready
 * endpoints, and every one of them must be a pod of that tier (by labels). Object checks
 * cannot count list items, and a selector that is too wide (a follower Service that also
 * picks the leader) is only visible by comparing endpoint IPs with the pods' IPs.
 */
import { defineCustomCheck } from '../../../grader/checks/custom/api.ts';
import type { Pod } from '../../../grader/sim/api/types.ts';

interface Tier {
  service: string;
  count: number;
  /** Labels that every pod behind this Service must carry. */
  podLabels: Record<string, string>;
}

export default defineCustomCheck({
  async run(api) {
    const tiers = (api.options.tiers ?? []) as Tier[];
    const evidence = [];
    const problems: string[] = [];
    for (const t of tiers) {
      const ips = await api.readyEndpoints(t.service);
      const svc = await api.get('Service', t.service);
      const tierPods = (await api.list('Pod', 'default', t.podLabels)) as Pod[];
      const tierIPs = new Set(tierPods.map((p) => p.status?.podIP).filter((x): x is string => !!x));
      const allPods = (await api.list('Pod', 'default')) as Pod[];
      const strangers = ips.filter((ip) => !tierIPs.has(ip)).map((ip) => allPods.find((p) => p.status?.podIP === ip)?.metadata.name ?? ip);
      evidence.push(api.evidence(`ready endpoints of Service default/${t.service}`, `${t.count} (pods with ${Object.entries(t.podLabels).map(([k, v]) => `${k}=${v}`).join(',')})`, strangers.length ? { endpoints: ips, notOfThisTier: strangers } : ips));
      if (!svc) problems.push(`Service ${t.service} does not exist`);
      else if (ips.length !== t.count) problems.push(`Service ${t.service} has ${ips.length} ready endpoint${ips.length === 1 ? '' : 's'}, expected ${t.count}`);
      if (strangers.length) problems.push(`Service ${t.service} also sends traffic to ${strangers.join(', ')}, which ${strangers.length === 1 ? 'is' : 'are'} not part of that tier`);
    }
    if (problems.length) return api.fail(problems.join('; '), evidence);
    return api.pass(tiers.map((t) => `${t.service}: ${t.count}`).join(', ') + ' ready endpoints, each of its own tier', evidence);
  },
});
