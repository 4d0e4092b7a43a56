import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { zipStarter } from './archive.ts';

function entries(zip: Buffer): Promise<{ name: string; bytes: Buffer; date: Date }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, z) => {
      if (err || !z) return reject(err);
      const out: { name: string; bytes: Buffer; date: Date }[] = [];
      z.on('entry', (e: yauzl.Entry) => {
        z.openReadStream(e, (err2, s) => {
          if (err2 || !s) return reject(err2);
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => {
            out.push({ name: e.fileName, bytes: Buffer.concat(chunks), date: e.getLastModDate() });
            z.readEntry();
          });
        });
      });
      z.on('end', () => resolve(out));
      z.readEntry();
    });
  });
}

describe('zipStarter', () => {
  const files = [
    { rel: 'web.yaml', bytes: Buffer.from('kind: Service\n') },
    { rel: 'a/db.yaml', bytes: Buffer.from('kind: Pod\n') },
  ];

  it('holds every file under the prefix, sorted, with its bytes', async () => {
    const got = await entries(await zipStarter('01-x', files));
    expect(got.map((e) => e.name)).toEqual(['01-x/a/db.yaml', '01-x/web.yaml']);
    expect(got[1]!.bytes.equals(files[0]!.bytes)).toBe(true);
    expect(got[0]!.date.getFullYear()).toBe(1980);
  });

  it('is byte-identical whatever the input order', async () => {
    const a = await zipStarter('01-x', files);
    const b = await zipStarter('01-x', [...files].reverse());
    expect(a.equals(b)).toBe(true);
  });
});
