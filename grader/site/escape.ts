/** HTML escaping for text we place into markup ourselves (outside handlebars' own escaping). */
const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

/**
 * Escapes text and turns `backticks` into <code>: lab.yaml summaries and hints use them.
 * Escaping happens first, so nothing but our own <code> tags can appear.
 */
export function inlineCode(text: string): string {
  return escapeHtml(text).replace(/`([^`\n]+)`/g, '<code>$1</code>');
}
