import { Browser } from 'playwright-core';
import { TestApp } from '@testing/test-app';
import { CryptoComFake } from '../fakes/cryptocom-fake';
import { goTo, notice, openConsole, PHONE, screenshot, signIn } from '../browser/console-browser';
import { consoleSuite, startConsoleApp, stopConsoleApp } from './support/console';

/** The operator console in Chromium: funds, dashboard + vault, sign-in failures, bad-input handling (issue 15). */
consoleSuite('console in the browser: funds, dashboard, vault, sign-in', () => {
  let t: TestApp, browser: Browser, base: string;
  let fake: CryptoComFake;

  beforeAll(async () => {
    fake = new CryptoComFake();
    await fake.start();
    ({ t, browser, base } = await startConsoleApp({
      env: { CRYPTO_COM_BASE_URL: fake.url, EXCHANGE_HTTP_TIMEOUT_MS: '1000', EXCHANGE_MAX_RETRIES: '1' },
    }));
  });
  afterAll(async () => {
    await stopConsoleApp({ t, browser });
    await fake?.stop();
  });

  it('client1 subscribes to a fund, sees the balance drop, is refused with seed 004 message, cancels', async () => {
    const { page, logs, violations, context } = await openConsole(browser, base);
    await signIn(page, 'client1', 'client1234');
    await goTo(page, 'Funds');
    const balance = page.getByTestId('funds-balance');
    await balance.filter({ hasText: /^500000 COP$/ }).waitFor();
    await page
      .getByRole('table', { name: 'Funds and their minimums' })
      .getByRole('cell', { name: 'FPV_BTG_PACTUAL_RECAUDADORA', exact: true })
      .waitFor();

    await page.getByLabel('Fund').selectOption('1');
    await page.getByLabel('Amount (COP)').fill('75000');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await balance.filter({ hasText: /^425000 COP$/ }).waitFor();
    await notice(page, 'Subscribed 75000 COP to FPV_BTG_PACTUAL_RECAUDADORA').waitFor();
    await page
      .getByRole('table', { name: 'Active subscriptions' })
      .getByRole('cell', { name: 'FPV_BTG_PACTUAL_RECAUDADORA', exact: true })
      .waitFor();

    // Refused: more than the balance. The API's exact message; the typed amount stays.
    await page.getByLabel('Fund').selectOption('4');
    await page.getByLabel('Amount (COP)').fill('450000');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('alert').filter({ hasText: 'No tiene saldo disponible para vincularse al fondo FDO-ACCIONES' }).waitFor();
    expect(await page.getByLabel('Amount (COP)').inputValue()).toBe('450000');
    await screenshot(page, 'funds');

    await page.getByRole('button', { name: 'Cancel subscription to FPV_BTG_PACTUAL_RECAUDADORA' }).click();
    await balance.filter({ hasText: /^500000 COP$/ }).waitFor();
    await notice(page, 'Cancelled FPV_BTG_PACTUAL_RECAUDADORA: 75000 COP returned.').waitFor();
    const history = page.getByRole('table', { name: /Transactions, page 1/ });
    await history.getByRole('cell', { name: 'CANCELLATION' }).waitFor();
    expect(await history.getByRole('cell', { name: 'SUBSCRIPTION' }).count()).toBe(1);

    await page.setViewportSize(PHONE);
    await screenshot(page, 'funds');
    expect(violations).toEqual([]);
    expect(logs.join('\n')).not.toMatch(/client1234|eyJ[A-Za-z0-9_-]{10,}/);
    await context.close();
  });

  it('stores crypto.com credentials in Vault (masked), then Sync now fills the dashboard: total, balances, donut', async () => {
    const apiKey = `console-key-${process.pid}-WXYZ`;
    const secret = 'console-secret-0123456789abcdef';
    fake.addAccount(apiKey, secret, { BTC: '0.5', USDT: '1000' });
    fake.addOrder(apiKey, { instrument_name: 'ETH_USDT', side: 'SELL', quantity: '2', limit_price: '2500' });
    const { page, logs, violations, context } = await openConsole(browser, base);
    await signIn(page, 'client1', 'client1234');
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page
      .getByTestId('total-usd')
      .filter({ hasText: /^0\.00 USD$/ })
      .waitFor();

    await goTo(page, 'Vault');
    await page.getByLabel('Exchange', { exact: true }).selectOption('CRYPTO_COM');
    await page.getByLabel('API key').fill(apiKey);
    await page.getByLabel('API secret').fill(secret);
    await page.getByRole('button', { name: 'Save credentials' }).click();
    const stored = page.getByRole('table', { name: /Stored credentials/ });
    await stored.getByRole('cell', { name: '****WXYZ' }).waitFor();
    expect(await page.getByLabel('API secret').inputValue()).toBe('');
    expect(await page.content()).not.toContain(secret);
    expect(await page.content()).not.toContain(apiKey);
    await screenshot(page, 'vault');

    await goTo(page, 'Dashboard');
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page
      .getByTestId('total-usd')
      .filter({ hasText: /^16000\.00 USD$/ })
      .waitFor();
    const balances = page.getByRole('table', { name: 'Balances' });
    await balances.getByRole('cell', { name: '15000', exact: true }).waitFor();
    await page.getByRole('figure', { name: /Allocation by USD value: BTC 15000 USD, USDT 1000 USD/ }).waitFor();
    await page.getByRole('table', { name: 'Open orders' }).getByRole('cell', { name: 'ETH_USDT' }).waitFor();
    await page.locator('.recharts-pie-sector').first().waitFor();

    // An entry order fills: the next syncs record it as executed with its two simulated OCO legs.
    const buy = fake.addOrder(apiKey, { instrument_name: 'BTC_USDT', side: 'BUY', quantity: '0.1', limit_price: '30000' });
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('table', { name: 'Open orders' }).getByRole('cell', { name: 'BTC_USDT' }).waitFor();
    fake.fillOrder(buy, { price: '30000' });
    const legs = page.getByRole('table', { name: 'Executed orders' }).getByRole('row').filter({ hasText: 'STOP_LOSS at 29400' });
    for (let attempt = 0; attempt < 3 && (await legs.count()) === 0; attempt++) {
      await page.getByRole('button', { name: 'Sync now' }).click();
      await notice(page, /^Sync completed/).waitFor();
      await page.getByRole('button', { name: 'Sync now' }).and(page.locator(':enabled')).waitFor();
    }
    await legs.filter({ hasText: 'TAKE_PROFIT at 31200' }).waitFor();

    // Signals of the watchlist (candles from the fake through ccxt): a steady climb.
    fake.setCloses(
      'BTC_USDT',
      Array.from({ length: 200 }, (_, i) => String(28000 + i * 10)),
    );
    const admin = await t.adminToken();
    const client = await t.login('client1', 'client1234');
    await t.http.post('/api/watchlist').set('Authorization', `Bearer ${client}`).send({ symbol: 'BTC_USDT' }).expect(201);
    await t.http
      .post('/ops/signals/run')
      .set('Authorization', `Bearer ${admin}`)
      .expect((r) => expect(r.status).toBeLessThan(300));
    await goTo(page, 'Funds');
    await goTo(page, 'Dashboard');
    const signal = page.getByRole('table', { name: 'Signals of the watchlist' }).getByRole('row').filter({ hasText: 'BTC_USDT' });
    await signal.getByText(/^(BUY|SELL|HOLD)$/).waitFor();
    await screenshot(page, 'dashboard');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'dashboard');
    expect(violations).toEqual([]);
    expect(logs.join('\n')).not.toContain(secret);
    await context.close();
  });

  it('a wrong password shows the API message and keeps what was typed; the keyboard alone signs in', async () => {
    const { page, context } = await openConsole(browser, base);
    await page.getByLabel('Email or username').fill('client1');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Incorrect username or password' }).waitFor();
    expect(await page.getByLabel('Email or username').inputValue()).toBe('client1');
    await screenshot(page, 'sign-in-failed');

    // Keyboard only: Tab into the fields, Enter submits.
    await page.getByLabel('Password').fill('');
    await page.getByLabel('Email or username').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.type('client1234');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await notice(page, 'You have signed out.').waitFor();
    await context.close();
  });

  it('expired session: the sign-in form returns over the page and the typed amount survives; API down and 429 are shown', async () => {
    const { page, context } = await openConsole(browser, base);
    await signIn(page, 'client1', 'client1234');
    await goTo(page, 'Funds');
    await page.getByLabel('Amount (COP)').fill('123456');
    const token = await t.login('client1', 'client1234');
    await t.http.post('/auth/revoke-all').set('Authorization', `Bearer ${token}`).expect(200); // ends every session, this one too
    await page.getByRole('button', { name: 'Subscribe' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Your session has expired. Sign in again.').waitFor();
    await signIn(page, 'client1', 'client1234', dialog);
    expect(await page.getByLabel('Amount (COP)').inputValue()).toBe('123456');

    // API down for the account: a visible error with Retry; Retry works once it is back.
    await page.route('**/api/v1/account', (route) => route.abort('connectionrefused'));
    await goTo(page, 'Dashboard');
    await goTo(page, 'Funds');
    const down = page.getByRole('alert').filter({ hasText: 'The API is unreachable' });
    await down.waitFor();
    await screenshot(page, 'funds-api-down');
    await page.unroute('**/api/v1/account');
    await down.getByRole('button', { name: 'Retry' }).click();
    await page.getByTestId('funds-balance').filter({ hasText: /COP$/ }).waitFor();

    // 429 from the API: its message and the Retry-After figure.
    await page.route('**/api/v1/subscriptions/**', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'Retry-After': '42', 'Content-Type': 'application/json' },
        body: JSON.stringify({ statusCode: 429, error: 'Too Many Requests', message: 'Too many requests', detail: 'Too many requests' }),
      }),
    );
    await page.getByLabel('Amount (COP)').fill('123456');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('alert').filter({ hasText: 'Too many requests: retry after 42 s' }).waitFor();
    expect(await page.getByLabel('Amount (COP)').inputValue()).toBe('123456');
    await context.close();
  });
});
