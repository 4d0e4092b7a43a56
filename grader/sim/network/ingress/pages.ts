/** nginx's built-in error and redirect pages, as ingress-nginx serves them. */
const TITLES: Record<number, string> = {
  301: '301 Moved Permanently',
  308: '308 Permanent Redirect',
  404: '404 Not Found',
  502: '502 Bad Gateway',
  503: '503 Service Temporarily Unavailable',
};

export function nginxPage(status: number): string {
  const t = TITLES[status] ?? String(status);
  return `<html>\n<head><title>${t}</title></head>\n<body>\n<center><h1>${t}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
}
