// A tourist's visit, in Debian's Chromium driven by playwright-core (no browser download).
// usage: node visitor.mjs SITE_DIR SHOTS_DIR
// Serves SITE_DIR on 127.0.0.1 itself, so that it can cut the network by closing the server.
// Prints one line per check and exits 1 when any fails.
import { check, fail, finish, launch, sleep } from "./harness.mjs";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const [siteDir, shots] = process.argv.slice(2);
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".json": "application/json",
  ".webmanifest": "application/manifest+json", ".svg": "image/svg+xml", ".png": "image/png", ".xml": "application/xml" };
const sockets = new Set();
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (p.includes("..")) { res.writeHead(400); return res.end(); }
  // Where `serve --edit` answers on the same host: a page that must never be kept on the phone.
  if (p.startsWith("/_edit/")) {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
    return res.end("<!doctype html><title>editor</title><h1>Wi-Fi: matkhau-bi-mat</h1>");
  }
  if (p.endsWith("/")) p += "index.html";
  const file = path.join(siteDir, p);
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404, { "Content-Type": "text/html" }); return res.end(fs.readFileSync(path.join(siteDir, "404.html"))); }
    res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream" });
    res.end(data);
  });
});
server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;


const browser = await launch(["--disable-quic"]);
try {
  // A phone-sized screenshot of an entry page, and no sideways scrolling at 320 px.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "vi-VN" });
  const page = await phone.newPage();
  await page.goto(`${base}/relics/khu-luu-niem-hoang-van-thu/`);
  await page.screenshot({ path: path.join(shots, "entry-390x844.png") });
  check((await page.locator("h1").textContent()) === "Khu lưu niệm Hoàng Văn Thụ", "entry page shows its title");
  check(await page.locator('a[href^="geo:"]').count() === 1, "directions open the phone's map app");
  check(await page.locator("#near li").count() > 0 || await page.locator(".near li").count() > 0, "nearby places are listed");
  await page.setViewportSize({ width: 320, height: 700 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 0, `readable at 320 px without sideways scrolling (overflow ${overflow}px)`);
  const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  check(fontSize >= 16, `base font ${fontSize}px is at least 16px`);
  const small = await page.evaluate(() => [...document.querySelectorAll("main a.btn, .langs a, .card a")]
    .filter((a) => a.getBoundingClientRect().height < 44).map((a) => a.textContent.trim()));
  check(small.length === 0, `tap targets are 44px high or more (too small: ${JSON.stringify(small)})`);

  // Search on the home page, without diacritics.
  await page.goto(`${base}/`);
  await page.fill("#q", "hoang van thu");
  await page.waitForSelector("#results a", { timeout: 5000 });
  const hit = await page.locator("#results a").first().getAttribute("href");
  check(hit.includes("khu-luu-niem-hoang-van-thu"), `"hoang van thu" finds the memorial (${hit})`);
  await page.fill("#q", "chi lang");
  await page.waitForFunction(() => [...document.querySelectorAll("#results a")].some((a) => a.href.includes("ai-chi-lang")));
  check(true, '"chi lang" finds Chi Lăng');
  await page.fill("#q", "zzzz khong co");
  await page.waitForFunction(() => !document.querySelector("#results a"));
  check((await page.locator("#results li").count()) === 1, "no match says so");

  // A QR landing opened by an English browser ends on the English page.
  const english = await browser.newContext({ locale: "en-US" });
  const en = await english.newPage();
  await en.goto(`${base}/q/HVT/`);
  await en.waitForURL(/\/en\/relics\/khu-luu-niem-hoang-van-thu\/$/, { timeout: 5000 });
  check((await en.locator("html").getAttribute("lang")) === "en", "the QR landing moves an English browser to English");

  // A page opened once still loads with the network cut (service worker).
  const visit = await browser.newContext();
  const p = await visit.newPage();
  await p.goto(`${base}/relics/ai-chi-lang/`);
  await p.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await p.reload(); // now under the worker's control, the page is stored
  await p.waitForFunction(() => caches.keys().then((k) => k.length > 0));
  // The editor on the same host, opened under the worker: never kept (its forms hold secrets,
  // and an old form must not come back from the cache).
  await p.goto(`${base}/_edit/e/homestays/nha-lan`);
  await p.goto(`${base}/_edit/pair/0123`);
  await p.goto(`${base}/relics/ai-chi-lang/`);
  await p.waitForTimeout(300);
  const kept = await p.evaluate(async () => {
    const all = [];
    for (const k of await caches.keys()) for (const r of await (await caches.open(k)).keys()) all.push(r.url);
    return all;
  });
  check(kept.length > 0 && !kept.some((u) => u.includes("/_edit/")), `the editor's pages are not kept by the service worker (${kept.filter((u) => u.includes("/_edit/")).join(" ")})`);
  server.close();
  for (const s of sockets) s.destroy();
  await p.reload();
  check((await p.locator("h1").textContent()) === "Ải Chi Lăng", "a visited page loads offline");
  await p.goto(`${base}/en/`);
  check((await p.locator("h1").textContent()) === "Lạng Sơn Heritage", "the site shell (home in English) loads offline");
  await p.goto(`${base}/homestays/homestay-huu-lien/`);
  check((await p.locator("h1").count()) === 1, "an unvisited page falls back to the cached home page offline");
} catch (e) {
  fail(String(e.message));
} finally {
  await browser.close();
  server.close();
}
finish();
