/**
 * `npm run cert -- HOST [HOST…] [--name NAME] [--namespace NS] [--days N] [--out DIR]`:
 * makes a self-signed certificate and key for the hosts (for the Ingress TLS lab) and a
 * `kubernetes.io/tls` Secret manifest holding them, like
 * `openssl req -x509 … && kubectl create secret tls NAME --cert … --key … --dry-run=client -o yaml`.
 * The certificate is valid from 2024-01-01T00:00:00Z, the simulator's virtual epoch, not from
 * today: a certificate dated today would be "not yet valid" inside the simulator.
 * The only place in this feature that exits.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { ExitCode, UsageError, formatError } from '../errors.ts';
import { CERT_DEFAULT_NOT_AFTER, CERT_NOT_BEFORE, cliValidity, generateSelfSigned, tlsSecretManifest } from '../sim/network/tls/generate.ts';

const HOST = /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const program = new Command('cert')
  .description('Make a self-signed TLS certificate, key and kubernetes.io/tls Secret for Ingress hosts.')
  .argument('<hosts...>', 'DNS names the certificate covers (the first is also the CN); *.example.com wildcards allowed')
  .option('--name <name>', 'Secret name (default: <first host>-tls, dots as dashes)')
  .option('--namespace <ns>', 'namespace written into the Secret (default: none, so kubectl apply uses the current one)')
  .option('--days <n>', `extend validity to N days from today (it always runs at least until ${CERT_DEFAULT_NOT_AFTER.toISOString().slice(0, 10)})`)
  .option('--out <dir>', 'folder for the files', '.')
  .addHelpText('after', `\nThe certificate is valid from ${CERT_NOT_BEFORE.toISOString().replace('.000Z', 'Z')} (backdated on purpose: the simulator's clock\nstarts at that instant, so a certificate dated today would be "not yet valid" there) until\n${CERT_DEFAULT_NOT_AFTER.toISOString().slice(0, 10)} or --days from today, whichever is later.`)
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
    const o = program.opts<{ name?: string; namespace?: string; days?: string; out: string }>();
    const days = o.days === undefined ? undefined : Number(o.days);
    if (days !== undefined && (!Number.isInteger(days) || days < 1)) throw new UsageError(`--days must be a whole number of days, not "${o.days}"`);
    const name = o.name ?? `${hosts[0]!.replace(/^\*\./, 'wildcard.').replace(/\./g, '-')}-tls`;
    const validity = cliValidity(Date.now(), days);
    const pair = generateSelfSigned({ hosts, ...validity });
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
      `certificate for ${hosts.join(', ')} (self-signed, valid ${validity.notBefore.toISOString().slice(0, 10)} to ${validity.notAfter.toISOString().slice(0, 10)})\n` +
        `  notBefore is ${validity.notBefore.toISOString().replace('.000Z', 'Z')} on purpose: the simulator's clock starts then, so a certificate dated today would be "not yet valid" there\n` +
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
