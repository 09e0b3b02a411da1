import { Browser } from 'playwright-core';
import * as speakeasy from 'speakeasy';
import { TestApp, uniqueEmail } from '@testing/test-app';
import { goTo, notice, openConsole, PHONE, screenshot, signIn } from '../browser/console-browser';
import { consoleSuite, startConsoleApp, stopConsoleApp } from './support/console';

/** The operator console in Chromium: the loan lifecycle across two users, trading checks, the audit chain, 2FA sign-in (issue 15). */
consoleSuite('console in the browser: loans, trading, audit, 2FA', () => {
  let t: TestApp, browser: Browser, base: string;

  beforeAll(async () => {
    ({ t, browser, base } = await startConsoleApp());
  });
  afterAll(() => stopConsoleApp({ t, browser }));

  it('a new user registers in the console, applies with a live quote, the admin approves and disburses, the user pays an instalment', async () => {
    const email = uniqueEmail('borrower');
    const password = 'Borrower-2026!';
    const user = await openConsole(browser, base);
    // Registration in the console: a weak password is refused with the API's message, then the account is created.
    await user.page.getByRole('button', { name: 'Create an account' }).click();
    await user.page.getByLabel('Email').fill(email);
    await user.page.getByLabel('New password').fill('password');
    await user.page.getByRole('button', { name: 'Create account' }).click();
    await user.page.getByRole('alert').waitFor();
    expect(await user.page.getByLabel('Email').inputValue()).toBe(email);
    await user.page.getByLabel('New password').fill(password);
    await user.page.getByRole('button', { name: 'Create account' }).click();
    await user.page.getByRole('button', { name: 'Sign out' }).waitFor();
    await goTo(user.page, 'Loans');
    await user.page.getByLabel('Principal').fill('1200.00');
    await user.page.getByLabel('Annual rate (%)').fill('12');
    await user.page.getByLabel('Term (months)').fill('12');
    await user.page.getByLabel('Purpose').fill('Console e2e');
    // The quote is the API's (POST /api/loans/quote): 1200 at 12 % over 12 months is 106.62 a month.
    await user.page.getByTestId('loan-quote').filter({ hasText: 'Monthly payment 106.62' }).waitFor();
    await user.page.getByRole('button', { name: 'Apply' }).click();
    await notice(user.page, 'Application sent: 1200.00 over 12 months, status SUBMITTED.').waitFor();
    await screenshot(user.page, 'loans-applied');

    const admin = await openConsole(browser, base);
    await signIn(admin.page, 'admin', 'admin1234');
    await goTo(admin.page, 'Loans');
    const submitted = admin.page.getByRole('table', { name: 'Submitted: approve or reject' });
    const row = submitted.getByRole('row').filter({ hasText: '1200.00' });
    await row.getByRole('button', { name: 'Approve' }).click();
    await notice(admin.page, /is now APPROVED/).waitFor();
    const approved = admin.page.getByRole('table', { name: 'Approved: disburse' }).getByRole('row').filter({ hasText: '1200.00' });
    await approved.getByRole('button', { name: 'Disburse' }).click();
    await notice(admin.page, /is now ACTIVE/).waitFor();
    await screenshot(admin.page, 'loans-admin');

    // The borrower sees the schedule (their page reloads its list) and pays the first instalment.
    await goTo(user.page, 'Dashboard');
    await goTo(user.page, 'Loans');
    await user.page.getByRole('button', { name: /^Schedule of the loan of 1200.00/ }).click();
    const schedule = user.page.getByRole('table', { name: 'Schedule' });
    await schedule.getByRole('row').nth(12).waitFor(); // header + 12 instalments
    const first = schedule.getByRole('row').nth(1);
    expect(await first.getByRole('cell').nth(2).textContent()).toBe('106.62');
    await user.page.getByLabel('Payment amount').fill('106.62');
    await user.page.getByLabel('Payment reference').fill('CONSOLE-E2E-1');
    await user.page.getByRole('button', { name: 'Pay' }).click();
    await notice(user.page, /^Paid 106\.62\. Outstanding [0-9]+\.[0-9]{2}; loan ACTIVE\.$/).waitFor();
    await first.getByRole('cell', { name: 'PAID' }).waitFor();

    // A repeated reference is refused with the API's message; what was typed stays.
    await user.page.getByLabel('Payment amount').fill('10.00');
    await user.page.getByLabel('Payment reference').fill('CONSOLE-E2E-1');
    await user.page.getByRole('button', { name: 'Pay' }).click();
    await user.page.getByRole('alert').first().waitFor();
    expect(await user.page.getByLabel('Payment reference').inputValue()).toBe('CONSOLE-E2E-1');
    await screenshot(user.page, 'loans');
    await user.page.setViewportSize(PHONE);
    await screenshot(user.page, 'loans');

    for (const p of [user, admin]) {
      expect(p.violations).toEqual([]);
      expect(p.logs.join('\n')).not.toMatch(/Borrower-2026!|admin1234|eyJ[A-Za-z0-9_-]{10,}/);
      await p.context.close();
    }
  });

  it('trading: every risk check of a prepared order; the admin engages and releases the kill switch with a reason', async () => {
    const { page, context, violations } = await openConsole(browser, base);
    await signIn(page, 'admin', 'admin1234');
    await goTo(page, 'Trading');
    await page.getByRole('button', { name: 'Check order' }).click();
    await page.getByRole('alert').filter({ hasText: 'Missing credentials for BINANCE' }).waitFor();
    const token = await t.login('admin', 'admin1234');
    await t.http
      .post('/users/exchange-secrets')
      .set('Authorization', `Bearer ${token}`)
      .send({ exchange: 'BINANCE', api_key: 'console-binance-key', api_secret: 'console-binance-secret' })
      .expect(201);
    await page.getByRole('button', { name: 'Check order' }).click();
    const checks = page.getByRole('table', { name: 'Risk checks' });
    await checks.getByRole('cell', { name: 'Credentials for BINANCE are stored (encrypted)' }).waitFor();
    await checks.getByRole('row').filter({ hasText: 'Kill switch released' }).getByText('PASSED').waitFor();
    await page.getByLabel('Reason').fill('Console e2e drill');
    await page.getByRole('button', { name: 'Engage kill switch' }).click();
    await page.getByTestId('kill-switch').filter({ hasText: 'ENGAGED' }).filter({ hasText: 'Console e2e drill' }).waitFor();
    await page.getByRole('button', { name: 'Check order' }).click();
    await checks.getByRole('row').filter({ hasText: 'Kill switch engaged: Console e2e drill' }).getByText('FAILED').waitFor();
    const performance = page.getByRole('region', { name: 'Performance' });
    await performance.getByText('realized pnl').waitFor();
    await screenshot(page, 'trading');
    await page.getByLabel('Reason').fill('Drill over');
    await page.getByRole('button', { name: 'Release kill switch' }).click();
    await page.getByTestId('kill-switch').filter({ hasText: 'RELEASED' }).waitFor();
    expect(violations).toEqual([]);
    await context.close();
  });

  it('the admin verifies the audit chain and filters all events; a user sees only their own', async () => {
    const { page, context } = await openConsole(browser, base);
    await signIn(page, 'admin', 'admin1234');
    await goTo(page, 'Audit');
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page
      .getByTestId('verify-result')
      .filter({ hasText: /^Chain valid: [1-9][0-9]* events checked\.$/ })
      .waitFor();
    await page.getByLabel('Event type').fill('auth.login.success');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const all = page.getByRole('table', { name: 'All audit events, newest first' });
    await all.getByRole('cell', { name: 'auth.login.success' }).first().waitFor();
    expect(await all.getByRole('row').filter({ hasNotText: 'auth.login.success' }).count()).toBe(1); // the header row only
    await screenshot(page, 'audit');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signIn(page, 'client1', 'client1234');
    await goTo(page, 'Audit');
    await page
      .getByRole('table', { name: 'My audit events, newest first' })
      .getByRole('cell', { name: 'auth.login.success' })
      .first()
      .waitFor();
    expect(await page.getByRole('button', { name: 'Verify chain' }).count()).toBe(0);
    await context.close();
  });
  it('2FA on: the One-time code field appears after the password, a wrong code shows the message, the right one signs in', async () => {
    const email = uniqueEmail('twofactor');
    const password = 'TwoFactor-2026!';
    const { token } = await t.register(email, password);
    const auth = { Authorization: `Bearer ${token}` };
    const setup = await t.http.post('/auth/2fa/setup').set(auth).expect(200);
    const codeAt = (offsetSeconds: number) =>
      speakeasy.totp({ secret: setup.body.secret, encoding: 'base32', time: Math.floor(Date.now() / 1000) + offsetSeconds });
    // The previous step's code enables it, so the current step's code is still unused for the sign-in below.
    await t.http
      .post('/auth/2fa/enable')
      .set(auth)
      .send({ otp: codeAt(-30) })
      .expect(200);

    const { page, context, logs } = await openConsole(browser, base);
    expect(await page.getByLabel('One-time code').count()).toBe(0);
    await page.getByLabel('Email or username').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'OTP required' }).waitFor();
    await page.getByLabel('One-time code').fill('000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Invalid OTP' }).waitFor();
    expect(await page.getByLabel('Password').inputValue()).toBe(password);
    await screenshot(page, 'sign-in-2fa');
    await page.getByLabel('One-time code').fill(codeAt(0));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(logs.join('\n')).not.toContain(setup.body.secret);
    await context.close();
  });
});
