import { describe, expect, it } from 'vitest';
import { fetchCommandOf, outputLines, shellOutput } from './shell.ts';
import type { ContainerFiles } from './types.ts';

const files = (m: Record<string, string>): ContainerFiles => ({ read: (p) => m[p], write: () => {}, list: () => [] });

describe('shell output (kubectl logs of a script)', () => {
  it('cat prints files in order; echo prints its words; piped or redirected commands print nothing', () => {
    const out = shellOutput('echo "start $NAME"; cat /a /b | wc -l; cat /a; echo -n x > /tmp/y; echo done', { NAME: 'n1' });
    expect(out).toEqual([{ text: 'start n1\n' }, { file: '/a' }, { text: 'done\n' }]);
    expect(outputLines(out, files({ '/a': 'line1\nline2\n' }))).toEqual(['start n1', 'line1', 'line2', 'done']);
  });

  it('a missing file prints busybox\'s message', () => {
    expect(outputLines(shellOutput('cat /nope'), files({}))).toEqual(["cat: can't open '/nope': No such file or directory"]);
  });

  it('quotes keep separators literal', () => {
    expect(shellOutput("echo 'a; b' && echo c")).toEqual([{ text: 'a; b\n' }, { text: 'c\n' }]);
  });
});

describe('fetchCommandOf: a one-shot curl or wget as the last command', () => {
  it.each([
    ['curl -fsSL http://web/x', { tool: 'curl', host: 'web', port: 80, url: 'http://web/x', fail: true, follow: true }],
    ['curl -s -o /dev/null web:8080', { tool: 'curl', host: 'web', port: 8080, url: 'http://web:8080/', fail: false, follow: false }],
    ['curl --fail-with-body https://shop.example.com/', { tool: 'curl', host: 'shop.example.com', port: 443, fail: true, follow: false }],
    ['curl --location -H "Host: a" http://web/', { tool: 'curl', host: 'web', fail: false, follow: true }],
    ['sleep 2; wget -qO- http://web/', { tool: 'wget', host: 'web', fail: false, follow: true, insecure: false }],
    ['curl -sk https://web/', { tool: 'curl', port: 443, insecure: true }],
    ['curl --insecure -fsS https://web/', { tool: 'curl', insecure: true, fail: true }],
  ])('%s', (script, expected) => {
    expect(fetchCommandOf(script)).toMatchObject(expected);
  });

  it('is nothing when the last command fetches nothing', () => {
    expect(fetchCommandOf('curl http://web/; sleep 3600')).toBeUndefined();
    expect(fetchCommandOf('echo hi')).toBeUndefined();
  });
});
