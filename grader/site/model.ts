/**
 * What the templates see: plain data built from loaded labs. Hidden checks are reduced to a
 * count here, so no template can leak their titles, hints or ids by mistake. Every href is
 * relative to the site root; templates prefix `root` (e.g. `../../` on a lab page).
 */
import type { Lab } from '../lab/load.ts';
import type { Check } from '../lab/schema.ts';
import { conceptAnchor, conceptLabel } from './concepts.ts';
import { inlineCode } from './escape.ts';

export const checkKindLabel: Record<Check['type'], string> = {
  object: 'Object',
  dns: 'DNS',
  http: 'HTTP',
  tcp: 'TCP',
  distribution: 'Load spread',
  scenario: 'Scenario',
  custom: 'Custom',
} as const;

export const difficultyLabel = { beginner: 'Beginner', intermediate: 'Intermediate', advanced: 'Advanced' } as const;

export interface ConceptRef {
  id: string;
  label: string;
  href: string;
}

export interface LabSummary {
  id: number;
  number: string;
  folder: string;
  title: string;
  summary: string;
  /** The summary as escaped HTML with `code` spans. */
  summaryHtml: string;
  difficulty: string;
  difficultyLabel: string;
  minutes: number;
  timeLabel: string;
  concepts: ConceptRef[];
  href: string;
}

export interface VisibleCheck {
  title: string;
  titleHtml: string;
  kind: string;
  points: number;
  pointsLabel: string;
  hint: string;
  hintHtml: string;
}

export interface CheckSummary {
  visible: VisibleCheck[];
  visiblePoints: number;
  hiddenCount: number;
}

export function pad(id: number): string {
  return String(id).padStart(2, '0');
}

export function timeLabel(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

export function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function labHref(lab: Lab): string {
  return `labs/${encodeURIComponent(lab.folder)}/index.html`;
}

export function labSummary(lab: Lab): LabSummary {
  const s = lab.spec;
  return {
    id: s.id,
    number: pad(s.id),
    folder: lab.folder,
    title: s.title,
    summary: s.summary,
    summaryHtml: inlineCode(s.summary),
    difficulty: s.difficulty,
    difficultyLabel: difficultyLabel[s.difficulty],
    minutes: s.estimatedMinutes,
    timeLabel: timeLabel(s.estimatedMinutes),
    concepts: [...new Set(s.concepts)].map((c) => ({ id: c, label: conceptLabel(c), href: `concepts.html#${conceptAnchor(c)}` })),
    href: labHref(lab),
  };
}

/** Visible checks in lab order; hidden ones only counted (no title, hint, id or points). */
export function checkSummary(lab: Lab): CheckSummary {
  const visible = lab.spec.checks
    .filter((c) => !c.hidden)
    .map((c) => ({
      title: c.title,
      titleHtml: inlineCode(c.title),
      kind: checkKindLabel[c.type],
      points: c.points,
      pointsLabel: plural(c.points, 'point', 'points'),
      hint: c.hint,
      hintHtml: inlineCode(c.hint),
    }));
  return {
    visible,
    visiblePoints: visible.reduce((n, c) => n + c.points, 0),
    hiddenCount: lab.spec.checks.length - visible.length,
  };
}

/** The cluster the grader builds for this lab, in words. */
export function clusterDescription(lab: Lab): string[] {
  const c = lab.spec.cluster;
  return [
    `1 control-plane node and ${plural(c.workers, 'worker', 'workers')}`,
    `kube-proxy in ${c.proxyMode} mode`,
    c.ingress ? 'ingress-nginx installed (IngressClass nginx)' : 'no ingress controller',
    c.loadBalancer ? 'LoadBalancer Services get an external IP' : 'no LoadBalancer implementation (EXTERNAL-IP stays <pending>)',
  ];
}
