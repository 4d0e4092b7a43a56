/**
 * Cookie affinity as a browser sees it: the first visit gets a Set-Cookie from
 * ingress-nginx, and every later request that sends that cookie back must reach the pod
 * that served the first one. A distribution check cannot say this, because it sends the
 * same fixed cookies every time instead of keeping what the server set.
 *
 * Options: url, connectTo (both may hold placeholders), requests (default 30),
 * cookieName (optional: the cookie the Ingress should set).
 */
import { defineCustomCheck } from '../../../grader/checks/custom/api.ts';
import type { HttpResult } from '../../../grader/backend/types.ts';

/** Name and value of the first cookie in a Set-Cookie header (several may be joined by ", "). */
function cookiesOf(header: string | undefined): { name: string; value: string }[] {
  if (!header) return [];
  // Split on commas that start a new cookie (name=), not the ones inside Expires dates.
  return header
    .split(/,(?=\s*[^;,\s]+=)/)
    .map((c) => c.trim().split(';')[0] ?? '')
    .map((pair) => {
      const i = pair.indexOf('=');
      return i > 0 ? { name: pair.slice(0, i).trim(), value: pair.slice(i + 1).trim() } : undefined;
    })
    .filter((c): c is { name: string; value: string } => c !== undefined);
}

const setCookieOf = (r: HttpResult) => (r.ok ? Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'set-cookie')?.[1] : undefined);

export default defineCustomCheck({
  async run(api) {
    const url = String(api.options.url ?? 'http://shop.example.com/');
    const connectTo = api.options.connectTo === undefined ? undefined : String(api.options.connectTo);
    const requests = Number(api.options.requests ?? 30);
    const wanted = api.options.cookieName === undefined ? undefined : String(api.options.cookieName);
    const opts = { from: { kind: 'external' as const }, ...(connectTo ? { connectTo } : {}) };

    const first = await api.http(url, opts);
    const firstEvidence = api.evidence(`first visit: GET ${url}`, 'HTTP 200 with a Set-Cookie header', first.ok ? { status: first.status, servedBy: first.servedBy?.pod, setCookie: setCookieOf(first) ?? null } : { error: first.error }, first.trace);
    if (!first.ok) return api.fail(`the first visit to ${url} failed: ${first.error}`, [firstEvidence]);
    if (first.status !== 200) return api.fail(`the first visit to ${url} answered HTTP ${first.status}, expected 200`, [firstEvidence]);
    if (!first.servedBy) return api.fail(`the answer to ${url} does not say which pod served it, so stickiness cannot be measured`, [firstEvidence]);
    const cookies = cookiesOf(setCookieOf(first));
    if (cookies.length === 0) return api.fail(`the first visit to ${url} set no cookie, so a browser has nothing to send back and each request may land on another pod`, [firstEvidence]);
    const cookie = wanted ? cookies.find((c) => c.name === wanted) : cookies[0];
    if (!cookie) return api.fail(`the first visit set ${cookies.map((c) => c.name).join(', ')}, not the cookie ${wanted}`, [firstEvidence]);

    const pinned = first.servedBy.pod;
    const perPod: Record<string, number> = {};
    const errors: string[] = [];
    for (let i = 0; i < requests; i++) {
      const r = await api.http(url, { ...opts, cookies: { [cookie.name]: cookie.value } });
      if (!r.ok) {
        errors.push(r.error);
        continue;
      }
      const pod = r.servedBy?.pod ?? '(unattributed)';
      perPod[pod] = (perPod[pod] ?? 0) + 1;
    }
    const evidence = [firstEvidence, api.evidence(`${requests} × GET ${url} with cookie ${cookie.name}`, `every answer from ${pinned}`, { perPod, ...(errors.length ? { errors } : {}) })];
    if (errors.length) return api.fail(`${errors.length} of ${requests} requests with the cookie failed (${[...new Set(errors)].join(', ')})`, evidence);
    const others = Object.keys(perPod).filter((p) => p !== pinned);
    if (others.length) {
      return api.fail(`with the cookie ${cookie.name} the requests still reached ${Object.keys(perPod).length} pods (${Object.entries(perPod).map(([p, n]) => `${p} ${n}`).join(', ')}); they should all stay on ${pinned}`, evidence);
    }
    return api.pass(`the first visit set ${cookie.name} and all ${requests} requests that sent it back reached ${pinned}`, evidence);
  },
});
