import { describe, expect, it } from 'vitest';
import { outputLines, shellOutput } from './shell.ts';
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
