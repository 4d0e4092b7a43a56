/** `30s`, `5m`, `500ms` → seconds (the schema restricts the forms). */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(text.trim());
  if (!m) throw new Error(`cannot read the duration "${text}": write it like 30s, 5m or 500ms`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 'm' ? n * 60 : n;
}
