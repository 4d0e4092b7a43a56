/**
 * Headless Chromium for the site's browser tests and screenshot, through playwright-core and
 * the system's /usr/bin/chromium (playwright's own browser downloads are not used). Every
 * launch gets a fresh profile folder, removed on close.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The system Chromium; KUBELAB_CHROMIUM points elsewhere (e.g. to check the skip path). */
export const CHROMIUM = process.env.KUBELAB_CHROMIUM || '/usr/bin/chromium';

export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserUnavailable(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install -y chromium)`;
}

export interface Browser {
  context: BrowserContext;
  /** Requests that left the site (anything but file: and the local preview server). */
  external: string[];
  close(): Promise<void>;
}

export async function launch(opts: { allowHosts?: string[]; viewport?: { width: number; height: number }; deviceScaleFactor?: number } = {}): Promise<Browser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'kubelab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs,
    acceptDownloads: true,
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    deviceScaleFactor: opts.deviceScaleFactor ?? 1,
  });
  const external: string[] = [];
  const allowed = new Set(opts.allowHosts ?? []);
  // Any request off the site is recorded and refused: the site must be self-contained.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'file:' || url.protocol === 'data:' || allowed.has(url.host)) return route.continue();
    external.push(url.href);
    return route.abort();
  });
  return {
    context,
    external,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
