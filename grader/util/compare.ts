/**
 * Byte-order string comparison, as Go's sort does in Kubernetes. `localeCompare` follows the
 * machine's locale (LANG), so it could order the same names differently on two machines and
 * break the byte-for-byte reproducibility of reports.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
