/**
 * What the browser tests need: the built `canvass` CLI as its own processes (a demo night, a fresh server), Debian's
 * Chromium driven by playwright-core, axe-core, and a place for screenshots.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const CLI = join(ROOT, 'packages/server/bin/canvass.js');
export const WEB_DIST = join(ROOT, 'packages/web/dist');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const ELECTION = 'kz-2022-president';
export const PASSWORD = 'correct horse battery staple';

export function requireBuild(): void {
  if (!existsSync(join(WEB_DIST, 'index.html')))
    throw new Error(`the site is not built (${WEB_DIST}): run \`npm run build\` before the browser tests`);
  if (!existsSync(join(ROOT, 'packages/server/dist/cli/main.js'))) throw new Error('the server is not built: run `npm run build`');
  mkdirSync(ARTIFACTS, { recursive: true });
}

export const shot = (name: string) => join(ARTIFACTS, `${name}.png`);

export interface Running {
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Starts the CLI and resolves once a line of its output matches `ready` (the URL is read from `url`). */
function start(args: readonly string[], ready: RegExp, url: RegExp, timeoutMs: number): Promise<Running> {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise<Running>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`canvass ${args[0] ?? ''} was not ready in ${timeoutMs / 1000} s:\n${output.slice(-2000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = url.exec(output)?.[1];
      if (found !== undefined && ready.test(output)) {
        clearTimeout(timer);
        resolve({ url: found, output: () => output, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`canvass ${args[0] ?? ''} exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
}

/** `canvass demo --speed 1000 --port 0`: the whole night, as fast as the server takes it; ready at `complete`. */
export function startDemo(): Promise<Running> {
  return start(['demo', '--speed', '1000', '--port', '0'], /complete/, /at (http:\/\/[^\s]+)/, 240_000);
}

/** Runs a CLI command to its end; `input` goes to its standard input. */
export function run(args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`canvass ${args.join(' ')} exited with ${code}:\n${output}`));
    });
    child.stdin.end(input ?? '');
  });
}

/**
 * A fresh server without the night: the demo election written as files, loaded with `canvass init`, the accounts
 * added with `canvass user add … --password-stdin`, served with `canvass serve`.
 */
export async function startFreshServer(
  accounts: readonly { name: string; role: string; division?: string }[],
  options: { doubleEntry?: boolean } = {},
): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), 'canvass-web-test-'));
  const db = join(dir, 'canvass.db');
  const data = join(dir, 'data');
  await run(['demo-data', '--out', join(dir, 'files')]);
  const electionFile = join(dir, 'files', ELECTION, 'election.json');
  if (options.doubleEntry !== undefined) {
    // The same election, with double entry switched as asked (the demo night switches it on too).
    const election = JSON.parse(await readFile(electionFile, 'utf8')) as Record<string, unknown>;
    await writeFile(electionFile, JSON.stringify({ ...election, doubleEntry: options.doubleEntry }));
  }
  await run(['init', '--db', db, '--data-dir', data, '--election', electionFile]);
  for (const account of accounts) {
    const division = account.division === undefined ? [] : ['--division', account.division];
    await run(
      ['user', 'add', '--db', db, '--data-dir', data, '--name', account.name, '--role', account.role, ...division, '--password-stdin'],
      `${PASSWORD}\n`,
    );
  }
  const server = await start(['serve', '--db', db, '--data-dir', data, '--port', '0'], /serving/, /at (http:\/\/[^\s]+)/, 30_000);
  return {
    ...server,
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium (installed by `apt-get install chromium`), headless, with a fresh profile per launch. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<{ id: string; impact: string | null; help: string; targets: string[] }[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

/**
 * The text a visitor sees in the page's language: visible text nodes and accessible names (aria-label), leaving out
 * what is marked as being in another language (`lang="en"` on the OpenStreetMap notice, the language names).
 */
export function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const pageLang = document.documentElement.lang;
    const inPageLanguage = (el: Element) => (el.closest('[lang]')?.getAttribute('lang') ?? pageLang) === pageLang;
    const parts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest('script, style, noscript, title') || !inPageLanguage(el) || !el.checkVisibility()) continue;
      parts.push(node.textContent ?? '');
    }
    for (const el of document.querySelectorAll('[aria-label]')) if (inPageLanguage(el)) parts.push(el.getAttribute('aria-label') ?? '');
    return parts.join(' ');
  });
}

/** Spaces as Intl writes them (no-break, narrow no-break) become plain spaces, so expectations stay readable. */
export const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ').replace(/\s+/g, ' ');

/** Words in Latin letters (tokens with digits — hashes, ids, "SHA-256", "GMT+5" — are codes, not words). */
export function latinWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const token of text.split(/[^A-Za-z0-9\u0400-\u04FF+-]+/)) {
    if (!/^[A-Za-z]+(?:-[A-Za-z]+)*$/.test(token)) continue;
    for (const word of token.split('-')) if (word.length >= 2) words.add(word);
  }
  return words;
}
