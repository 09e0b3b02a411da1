import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';

/**
 * Browser tests of the operator console: Debian's Chromium driven by playwright-core
 * (never `npx playwright install`: it downloads a browser, which fails here).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const ROOT = join(__dirname, '..', '..');
export const SCREENSHOTS = join(ROOT, 'test-results', 'console');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** console/dist is built at `npm install`; build it here when a checkout skipped that. */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(ROOT, 'console', 'dist', 'index.html'))) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'install-build.js'), '--if-missing'], { stdio: 'inherit' });
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Everything the page printed to its console, and every uncaught error. */
  logs: string[];
  /** CSP violations reported by the page. */
  violations: string[];
}

/** A fresh context (its own memory: no token carried over) at the given size. */
export async function openConsole(browser: Browser, baseUrl: string, viewport = DESKTOP): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  const page = await context.newPage();
  const logs: string[] = [];
  const violations: string[] = [];
  page.on('console', (m) => {
    logs.push(`${m.type()}: ${m.text()}`);
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await page.goto('/console/');
  return { context, page, logs, violations };
}

/** Fills the sign-in form (the page's, or the one in `scope`, e.g. the expired-session dialog) and waits until signed in. */
export async function signIn(page: Page, login: string, password: string, scope: Page | Locator = page): Promise<void> {
  await scope.getByLabel('Email or username').fill(login);
  await scope.getByLabel('Password').fill(password);
  await scope.getByRole('button', { name: 'Sign in' }).click();
  if (scope === page) await page.getByRole('button', { name: 'Sign out' }).waitFor();
  else await (scope as Locator).waitFor({ state: 'detached' });
}

/** http://127.0.0.1:<port> of a started test app. */
export const baseUrlOf = (server: { address(): unknown }): string => `http://127.0.0.1:${(server.address() as { port: number }).port}`;

export async function goTo(page: Page, name: 'Dashboard' | 'Funds' | 'Loans' | 'Trading' | 'Vault' | 'Audit'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let charts re-measure after a viewport change (ResizeObserver fires before the next frames).
  await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
  const size = page.viewportSize();
  const file = join(SCREENSHOTS, `${name}-${size?.width}x${size?.height}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Text of a role=status or role=alert notice, for messages that replace each other. */
export const notice = (page: Page, text: string | RegExp) => page.locator('[role="status"], [role="alert"]').filter({ hasText: text });
