import { Browser } from 'playwright-core';
import { startTestApp, TestApp, TestAppOptions } from '@testing/test-app';
import { baseUrlOf, CHROMIUM, ensureConsoleBuilt, hasChromium, launchChromium } from '../../browser/console-browser';

/** A browser suite runs only where Chromium is installed, and says so loudly where it is not. */
export const consoleSuite = hasChromium ? describe : describe.skip;
if (!hasChromium) console.log(`[console e2e] ${CHROMIUM} not found: the browser tests did NOT run (apt-get install -y chromium)`);

export interface ConsoleApp {
  t: TestApp;
  browser: Browser;
  /** http://127.0.0.1:<port> of the app. */
  base: string;
}

/** The built console, an app whose seeders have run (admin and client1), and a headless Chromium. */
export async function startConsoleApp(options?: TestAppOptions): Promise<ConsoleApp> {
  ensureConsoleBuilt();
  const t = await startTestApp(options);
  await t.adminToken(); // seeds admin and client1
  const browser = await launchChromium().catch(async (e: unknown) => {
    await t.close();
    throw e;
  });
  return { t, browser, base: baseUrlOf(t.app.getHttpServer()) };
}

export async function stopConsoleApp(app: Partial<ConsoleApp>): Promise<void> {
  await app.browser?.close();
  await app.t?.close();
}
