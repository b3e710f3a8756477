// A homestay owner's phone (390×844, Debian's Chromium) reaching `waymark serve --edit --publish`
// through Caddy over HTTPS (`tls internal`), as on a small server on the internet. The browser
// keeps its profile in PROFILE, so that a second run is the same phone after both the browser
// and the server were restarted.
// usage: node https.mjs first|again ORIGIN PAIR_LINK PROFILE SHOTS_DIR
//   first: pair, save a price, see it live on the page Caddy serves, the cookie's flags.
//   again: no pairing: the entry opens, a new price is saved and live.
// Prints one line per check and exits 1 when any fails.
import { check, fail, finish, sleep } from "./harness.mjs";
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const [mode, origin, pairLink, profile, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
const host = new URL(origin).hostname;

// The name resolves to this machine; the certificate is Caddy's own local authority, which
// this browser has not been given (a phone would have a public one).
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", `--host-resolver-rules=MAP ${host} 127.0.0.1`],
  ignoreHTTPSErrors: true,
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "vi-VN",
  userAgent: "Mozilla/5.0 (Linux; Android 12; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36",
});
const shot = (page, name) => page.screenshot({ path: path.join(shots, name) });

// Save the homestay's price as typed, and wait for the answer; whether it says it is live.
async function savePrice(page, typed) {
  const r = await page.goto(`${origin}/_edit/e/homestays/nha-lan`);
  check(r.status() === 200 && page.url().startsWith("https://"), `the form opens over HTTPS (${r.status()})`);
  await page.fill("[name='f.price_from']", typed);
  await Promise.all([page.waitForNavigation(), page.tap("button:has-text('Lưu')")]);
  return page.locator("[data-live=yes]").isVisible();
}

// The page Caddy serves from output/site/, as a visitor's phone gets it.
async function livePage(page, text) {
  for (let i = 0; i < 50; i++) {
    const r = await page.goto(`${origin}/homestays/nha-lan/`);
    if (r.status() === 200 && (await page.content()).includes(text)) return true;
    await sleep(100);
  }
  return false;
}

try {
  const page = context.pages()[0] || (await context.newPage());
  if (mode === "first") {
    await page.goto(pairLink);
    await page.fill("#label", "Điện thoại chị Lan");
    await Promise.all([page.waitForNavigation(), page.tap("button[type=submit]")]);
    check(page.url() === `${origin}/_edit/`, `paired over HTTPS: ${page.url()}`);
    const cookie = (await context.cookies(`${origin}/_edit/`)).find((c) => c.path === "/_edit");
    check(cookie && cookie.secure && cookie.httpOnly && cookie.sameSite === "Strict", `the session cookie is Secure, HttpOnly, SameSite=Strict: ${JSON.stringify(cookie)}`);
    check(cookie && cookie.expires > Date.now() / 1000 + 300 * 86400, "and outlives the browser");
    check(await savePrice(page, "320.000đ"), "the owner's price is saved and live");
    await shot(page, "https-1-saved.png");
    check(await livePage(page, "320.000"), "the page Caddy serves shows it");
    await shot(page, "https-2-live.png");
  } else {
    check(await savePrice(page, "1tr2"), "after both restarts, the same phone saves without pairing again");
    check(await livePage(page, "1.200.000"), "and the page Caddy serves shows the new price");
    await shot(page, "https-3-again.png");
  }
} catch (e) {
  fail(String(e));
} finally {
  await context.close();
}
finish();
