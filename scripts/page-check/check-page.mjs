// Opens built agenda pages in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), runs axe-core in each, refuses any request to another host, and writes
// phone and desktop screenshots of the first page.
//
// usage: node check-page.mjs SHOTS_DIR PAGE.html...
// Exit 1 when a page has a serious or critical axe violation or asks for anything that is
// not a local file.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const [shots, ...pages] = process.argv.slice(2);
if (!shots || pages.length === 0) {
  console.error('usage: node check-page.mjs SHOTS_DIR PAGE.html...');
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), 'agenda-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

let failed = false;
const foreign = [];
context.on('request', (r) => {
  if (!r.url().startsWith('file://')) foreign.push(r.url());
});

async function audit(page, label) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ['violations'] }),
  );
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = result.violations.filter((v) => !bad.includes(v));
  for (const v of bad) {
    failed = true;
    console.log(`FAIL axe ${label}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} element(s))`);
    for (const n of v.nodes.slice(0, 5)) console.log(`    ${n.target.join(' ')}: ${n.failureSummary.split('\n').join(' ')}`);
  }
  for (const v of minor) console.log(`note axe ${label}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} element(s))`);
  return { bad: bad.length, minor: minor.length, passes: result.passes.length };
}

for (const [i, file] of pages.entries()) {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
  const closed = await audit(page, file);
  // The past events are in a <details>: checked open too.
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  const open = await audit(page, `${file} (details open)`);
  console.log(`axe ${file}: ${closed.bad + open.bad} serious or critical, ${closed.minor + open.minor} minor or moderate violation(s), ${closed.passes} rules passed`);
  if (i === 0) {
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = false; }));
    await page.screenshot({ path: join(shots, 'desktop.png'), fullPage: true });
    await page.screenshot({ path: join(shots, 'desktop-first-screen.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(shots, 'phone.png'), fullPage: true });
    await page.screenshot({ path: join(shots, 'phone-first-screen.png') });
    console.log(`screenshots: ${join(shots, 'desktop.png')} (1280 px), ${join(shots, 'phone.png')} (390 px)`);
  }
  await page.close();
}
await context.close();
rmSync(profile, { recursive: true, force: true });

if (foreign.length > 0) {
  failed = true;
  for (const u of [...new Set(foreign)]) console.log(`FAIL request to another host: ${u}`);
}
process.exit(failed ? 1 : 0);
