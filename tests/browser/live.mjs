// A volunteer's preview, in Debian's Chromium driven by playwright-core: `waymark serve` reloads
// the pages an edit changed, and only those, and shows a broken file over the page.
// usage: node live.mjs BASE_URL SITE_DIR   (serve already running on BASE_URL for SITE_DIR)
// Prints one line per check and exits 1 when any fails.
import { check, fail, finish, launch, sleep } from "./harness.mjs";
import fs from "node:fs";
import path from "node:path";

const [base, siteDir] = process.argv.slice(2);
const den = path.join(siteDir, "content/relics/den.md");
const original = fs.readFileSync(den, "utf8");


const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  // The edited entry, a page that lists it nearby, and a page the edit does not touch; each
  // marked, so that a reload (which clears the mark) can be told from none.
  const open = async (p) => {
    const page = await context.newPage();
    await page.goto(`${base}${p}`);
    await page.waitForFunction(() => document.readyState === "complete");
    await page.evaluate(() => { window.__kept = true; });
    return page;
  };
  const edited = await open("/relics/den/");
  const near = await open("/relics/chua/");
  const far = await open("/relics/xa/");
  await sleep(500); // the pages' event streams connect

  fs.writeFileSync(den, original.replace("Đền Kỳ Cùng", "Đền Mới"));
  await edited.waitForFunction(() => document.querySelector("h1")?.textContent === "Đền Mới", null, { timeout: 10000 })
    .then(() => check(true, "the edited page reloaded with its new title"),
      () => check(false, "the edited page reloaded with its new title"));
  await near.waitForFunction(() => document.body.textContent.includes("Đền Mới"), null, { timeout: 10000 })
    .then(() => check(true, "the page listing it nearby reloaded"),
      () => check(false, "the page listing it nearby reloaded"));
  await sleep(1000);
  check(await far.evaluate(() => window.__kept === true), "a page the edit did not touch was not reloaded");

  // A broken file: the error over the page, without a reload; fixed: gone.
  await edited.evaluate(() => { window.__kept = true; });
  fs.writeFileSync(den, original.replace("title: Đền Kỳ Cùng", "title: [Đền"));
  await edited.waitForSelector("#waymark-overlay", { timeout: 10000 })
    .then(() => check(true, "a broken file shows over the page"),
      () => check(false, "a broken file shows over the page"));
  const text = await edited.locator("#waymark-overlay").textContent().catch(() => "");
  check(text.includes("den.md"), `the overlay names the file (${JSON.stringify(text.slice(0, 80))})`);
  check(await edited.evaluate(() => window.__kept === true), "the page stayed while broken");
  fs.writeFileSync(den, original);
  await edited.waitForFunction(() => !document.getElementById("waymark-overlay")
    && document.querySelector("h1")?.textContent === "Đền Kỳ Cùng", null, { timeout: 10000 })
    .then(() => check(true, "fixed: the overlay is gone and the page is current"),
      () => check(false, "fixed: the overlay is gone and the page is current"));
} finally {
  fs.writeFileSync(den, original);
  await browser.close();
}
finish();
