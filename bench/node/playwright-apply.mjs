// playwright-apply.mjs: the comparison for bench/apply-vs-playwright. It
// fills and submits the same fixture form (the Greenhouse one) the way a
// Playwright-based applier would, in Debian's Chromium, N times in one
// browser, and prints a timing line per application.
//
//   node playwright-apply.mjs URL RESUME [N]
//
// SPDX-License-Identifier: GPL-3.0-or-later
import { chromium } from 'playwright-core';

const [url, resume, count = '1'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await (await browser.newContext()).newPage();

for (let run = 1; run <= Number(count); run++) {
  const started = performance.now();
  await page.goto(url);
  await page.fill('#first_name', 'Ada');
  await page.fill('#last_name', 'Lovelace');
  await page.fill('#email', 'ada@example.org');
  await page.fill('#phone', '+44 20 7946 0958');
  await page.setInputFiles('#resume', resume);
  await page.fill('#cover_letter_text', 'I would love to build your queue.');
  await page.fill('#job_application_answers_attributes_0_text_value', 'https://www.linkedin.com/in/ada-lovelace');
  await page.selectOption('#job_application_answers_attributes_1_boolean_value', '1');
  await page.selectOption('#job_application_answers_attributes_2_boolean_value', '0');
  await page.fill('#job_application_answers_attributes_3_text_value', '12');
  await page.selectOption('#job_application_gender', '2');
  await page.selectOption('#job_application_race', '8');
  await page.selectOption('#job_application_veteran_status', '3');
  await page.click('#submit_app');
  await page.waitForSelector('#application_confirmation');
  console.log(JSON.stringify({ event: 'timing', run, ms: performance.now() - started }));
}
await browser.close();
