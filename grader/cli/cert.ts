/**
 * `npm run cert -- HOST [HOST…] [--name NAME] [--namespace NS] [--days N] [--out DIR]`:
 * makes a self-signed certificate and key for the hosts (for the Ingress TLS lab) and a
 * `kubernetes.io/tls` Secret manifest holding them, like
 * `openssl req -x509 … && kubectl create secret tls NAME --cert … --key … --dry-run=client -o yaml`.
 * The only place in this feature that exits.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { ExitCode, UsageError, formatError } from '../errors.ts';
import { generateSelfSigned, tlsSecretManifest } from '../sim/network/tls/generate.ts';

const HOST = /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const program = new Command('cert')
  .description('Make a self-signed TLS certificate, key and kubernetes.io/tls Secret for Ingress hosts.')
  .argument('<hosts...>', 'DNS names the certificate covers (the first is also the CN); *.example.com wildcards allowed')
  .option('--name <name>', 'Secret name (default: <first host>-tls, dots as dashes)')
  .option('--namespace <ns>', 'namespace written into the Secret (default: none, so kubectl apply uses the current one)')
  .option('--days <n>', 'days of validity', '365')
  .option('--out <dir>', 'folder for the files', '.')
  .exitOverride();

async function main(): Promise<number> {
  try {
    program.parse(process.argv);
  } catch (err) {
    return (err as { code?: string }).code === 'commander.helpDisplayed' ? ExitCode.ok : ExitCode.badInput;
  }
  try {
    const hosts = program.args.map((h) => h.toLowerCase());
    for (const h of hosts) if (!HOST.test(h)) throw new UsageError(`"${h}" is not a DNS name`, 'use names like shop.example.com or *.example.com');
    const o = program.opts<{ name?: string; namespace?: string; days: string; out: string }>();
    const days = Number(o.days);
    if (!Number.isInteger(days) || days < 1) throw new UsageError(`--days must be a whole number of days, not "${o.days}"`);
    const name = o.name ?? `${hosts[0]!.replace(/^\*\./, 'wildcard.').replace(/\./g, '-')}-tls`;
    const pair = generateSelfSigned({ hosts, days });
    await mkdir(o.out, { recursive: true });
    const files = {
      cert: path.join(o.out, `${name}.crt`),
      key: path.join(o.out, `${name}.key`),
      secret: path.join(o.out, `${name}-secret.yaml`),
    };
    await writeFile(files.cert, pair.cert);
    await writeFile(files.key, pair.key, { mode: 0o600 });
    await writeFile(files.secret, tlsSecretManifest(name, pair, o.namespace));
    process.stdout.write(
      `certificate for ${hosts.join(', ')} (self-signed, ${days} days)\n` +
        `  ${files.cert}\n  ${files.key}\n  ${files.secret}   (Secret "${name}", type kubernetes.io/tls)\n` +
        `Reference it from your Ingress:\n  tls:\n  - hosts: [${hosts.map((h) => JSON.stringify(h)).join(', ')}]\n    secretName: ${name}\n`,
    );
    return ExitCode.ok;
  } catch (err) {
    process.stderr.write(`${formatError(err)}\n`);
    return ExitCode.badInput;
  }
}

process.exitCode = await main();
