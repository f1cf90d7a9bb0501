#!/usr/bin/env node
// Takes the reminder screenshots in docs/screenshots/: the quick start's demo reminder as Mailpit shows it, and
// the dashboard's template preview. Runs the real apps (@seedline/testkit, own database and queue prefix) and the
// demo seed (scripts/seed-demo.mjs) against a Mailpit of its own, so its inbox holds only that email; Debian's
// Chromium through playwright-core. Needs the services (npm run services: it builds Mailpit) and a build.
// Run: node scripts/screenshots-reminders.mjs
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createStack, OwnMailpit, pollUntil, REPO_ROOT, TEST_SECRETS } from '@seedline/testkit';
import { launchChromium } from '../test/e2e/dashboard-browser.mjs';

const OUT = join(REPO_ROOT, 'docs', 'screenshots');
const mailpit = await OwnMailpit.start();
const stack = await createStack('shotsrem', {
  SMTP_URL: mailpit.smtpUrl,
  REMINDER_FROM: 'Demo Brand creators <creators@demobrand.example>',
  // What the quick start runs with (scripts/quickstart.sh).
  REMINDER_SWEEP_SECONDS: '10',
});
let browser;
try {
  const seeded = Date.now();
  const printed = execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'seed-demo.mjs')], {
    encoding: 'utf8',
    env: {
      ...process.env,
      API_URL: stack.apiUrl,
      INGEST_URL: stack.ingestUrl,
      ...TEST_SECRETS,
      MAILPIT_URL: mailpit.apiUrl,
    },
  });
  const apiKey = /Demo brand key[^\n]*\n\s*(\S+)/.exec(printed)?.[1];
  if (!apiKey) throw new Error(`no brand key in the seed's output:\n${printed}`);
  const [email] = await pollUntil(
    async () => {
      const found = await mailpit.to('mia.reminded@example.com');
      return found.length > 0 && found;
    },
    { timeoutMs: 90_000, intervalMs: 250, what: "the demo's reminder email" },
  );
  console.log(`demo reminder in Mailpit ${((Date.now() - seeded) / 1000).toFixed(1)} s after the seed started`);

  browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 1280, height: 1000 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  await page.goto(`${mailpit.apiUrl}/view/${email.ID}`);
  await page.getByText(email.Subject).first().waitFor();
  await page.frameLocator('iframe').first().getByText('Get your product').waitFor();
  await page.screenshot({ path: join(OUT, 'reminder-email-mailpit.png') });

  await page.goto(`${stack.apiUrl}/dashboard`);
  await page.getByLabel('Brand API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#influencer-rows tr').first().waitFor();
  const demo = await page.locator('#campaign option', { hasText: 'Reminder demo' }).getAttribute('value');
  await page.locator('#campaign').selectOption(demo);
  await page.locator('#influencer-rows tr').first().waitFor();
  await page.getByRole('tab', { name: 'Campaign details' }).click();
  await page.frameLocator('.email-frame').getByText('Get your product').waitFor();
  await page.locator('.reminder-preview').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.mouse.move(0, 0);
  await page.setViewportSize({ width: 1280, height: 1250 });
  await page.locator('.reminder-preview').evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await page.screenshot({ path: join(OUT, 'reminder-preview-desktop.png') });
  await context.close();
} finally {
  await browser?.close();
  await stack.stop();
  await mailpit.stop();
}
