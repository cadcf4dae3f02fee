import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Page, chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.JIYUE_CHROMIUM ?? '/usr/bin/chromium';
/** Why browser tests cannot run here, or null when they can. */
export const browserMissing: string | null = fs.existsSync(CHROMIUM) ? null : `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
const VNU_JAR = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
export const vnuMissing: string | null = spawnSync('java', ['-version']).status === 0 ? null : 'no Java runtime for the Nu HTML Checker';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Builds the console when its sources are newer than admin/dist (a few seconds). */
export function ensureConsoleBuilt(): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-admin.mjs'), '--if-stale'], { encoding: 'utf8' });
  if (r.status !== 0 || !fs.existsSync(path.join(ROOT, 'admin/dist/index.html'))) throw new Error(`console build failed:\n${r.stdout}\n${r.stderr}`);
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core (WCAG 2.1 A and AA rules) on the page; returns the violations. */
export async function axe(page: Page, impacts: string[] = ['minor', 'moderate', 'serious', 'critical']): Promise<AxeViolation[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  const result = await page.evaluate(async () => {
    const g = globalThis as any;
    const r = await g.axe.run(g.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n: any) => n.target.join(' ')) }));
  });
  return (result as AxeViolation[]).filter((v) => impacts.includes(v.impact ?? 'minor'));
}

export interface VnuMessage {
  type: string;
  url: string;
  message: string;
  lastLine?: number;
  extract?: string;
}

/** Runs the Nu HTML Checker over files; returns its errors (warnings and info left out). */
export function vnu(files: string[]): VnuMessage[] {
  const r = spawnSync('java', ['-Xss2m', '-jar', VNU_JAR, '--format', 'json', '--exit-zero-always', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`vnu failed: ${r.stderr}`);
  const out = JSON.parse(r.stderr || r.stdout || '{"messages":[]}') as { messages: VnuMessage[] };
  return out.messages.filter((m) => m.type === 'error');
}
