import { describe, expect, it } from 'vitest';
import { runOne } from '../fixtures/run-check.ts';

describe('tcp check', () => {
  it('passes when the outcome is the expected one', async () => {
    const r = await runOne({ type: 'tcp', host: 'web', port: 80, expect: 'connected' });
    expect(r.status).toBe('pass');
    expect(r.message).toBe('connecting to web:80 from a client pod in namespace default: connected, as expected');
    expect((await runOne({ type: 'tcp', host: 'web', port: 81, expect: 'refused' })).status).toBe('pass');
  });
  it('fails with what happened instead', async () => {
    const r = await runOne({ type: 'tcp', host: 'web', port: 81, expect: 'connected' });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('connecting to web:81 from a client pod in namespace default: the connection was refused (nothing listens there, or the Service has no endpoints); expected connected');
    const nx = await runOne({ type: 'tcp', host: 'nothing', port: 80, expect: 'connected' });
    expect(nx.message).toContain('the host name did not resolve');
  });
  it('resolves placeholders in host and port', async () => {
    const r = await runOne({ type: 'tcp', from: 'external', host: '{{nodeIP:any}}', port: '{{nodePort:default/web:http}}', expect: 'connected' }, {
      overrides: { tcp: (p) => ({ result: p.host === '172.18.0.3' && p.port === 30080 ? 'connected' : 'timeout', trace: [] }) },
    });
    expect(r.status).toBe('pass');
    expect(r.message).toContain('172.18.0.3:30080 from outside the cluster');
  });
});
