// The map page on a 390 px phone, in Debian's Chromium: the drawing that works offline, and the
// live map when tiles arrive.
// usage: node map.mjs SITE_DIR MAP_PATH [offline]   (offline: the drawing's checks alone)
// Serves SITE_DIR on 127.0.0.1, and a tiny tile at /tiles/Z/X/Y.png (the site is built with
// `map: { tiles: /tiles/{z}/{x}/{y}.png }`, or with tiles from the internet, which the tests
// cut off). Prints one line per check and exits 1 when any fails.
import { check, fail, finish, launch } from "./harness.mjs";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const [siteDir, mapPath, mode] = process.argv.slice(2);
// A 1x1 green PNG: what a tile server sends, at its smallest.
const tile = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".json": "application/json",
  ".webmanifest": "application/manifest+json", ".svg": "image/svg+xml", ".png": "image/png" };
let tilesUp = true;
let tileRequests = 0;
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (p.startsWith("/tiles/")) {
    tileRequests++;
    if (!tilesUp) { res.writeHead(503); return res.end(); }
    res.writeHead(200, { "Content-Type": "image/png" });
    return res.end(tile);
  }
  if (p.includes("..")) { res.writeHead(400); return res.end(); }
  if (p.endsWith("/")) p += "index.html";
  const file = path.join(siteDir, p);
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream" });
    res.end(data);
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

/// Boxes of `selector` on the page, as seen on the screen.
const boxes = (page, selector) => page.$$eval(selector, (els) => els.filter((e) => e.getClientRects().length)
  .map((e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height, t: e.textContent.trim() }; }));
/// Pairs of boxes that cover one another (touching is fine: a pixel of slack for rounding).
function overlaps(list) {
  const out = [];
  for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
    const a = list[i], b = list[j];
    if (a.x + a.w - 1 > b.x && b.x + b.w - 1 > a.x && a.y + a.h - 1 > b.y && b.y + b.h - 1 > a.y) out.push([a.t, b.t]);
  }
  return out;
}

const browser = await launch(["--disable-quic"]);
try {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "vi-VN", serviceWorkers: "block" });

  // No signal for tiles: every request that leaves 127.0.0.1 fails, and our tile server is down.
  tilesUp = false;
  const away = (url) => url.hostname !== "127.0.0.1";
  await phone.route(away, (r) => r.abort("internetdisconnected"));
  const page = await phone.newPage();
  await page.goto(base + mapPath);
  await page.waitForFunction(() => document.querySelector(".live"), null, { timeout: 10000 });
  await page.waitForTimeout(1500);
  check(await page.locator("#map svg").isVisible(), "offline, the drawing shows");
  check(!(await page.locator(".live").isVisible()), "offline, no empty live map covers it");
  const pins = await boxes(page, "#map svg a .tap");
  check(pins.length >= 10, `the drawing has the example's places (${pins.length})`);
  const small = pins.filter((b) => b.w < 44 || b.h < 44);
  check(small.length === 0, `every pin is at least 44 px to tap (smallest ${Math.min(...pins.map((b) => b.w)).toFixed(1)} px)`);
  // Round pins touch without covering one another when their centres are two radii apart.
  const pinClash = [];
  pins.forEach((a, i) => pins.slice(i + 1).forEach((b) => {
    if (Math.hypot(a.x + a.w / 2 - b.x - b.w / 2, a.y + a.h / 2 - b.y - b.h / 2) < (a.w + b.w) / 2 - 1) pinClash.push([a, b]);
  }));
  check(pinClash.length === 0, `no pin covers another (${JSON.stringify(pinClash)})`);
  const labels = await boxes(page, "#map svg a text");
  const labelClash = overlaps(labels);
  check(labels.length === pins.length && labelClash.length === 0, `labels do not overlap (${JSON.stringify(labelClash)})`);
  const svg = (await boxes(page, "#map svg"))[0];
  const outside = labels.filter((b) => b.x < svg.x || b.y < svg.y || b.x + b.w > svg.x + svg.w || b.y + b.h > svg.y + svg.h);
  check(outside.length === 0, `no label is cut off (${JSON.stringify(outside)})`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 0, `no sideways scrolling at 390 px (overflow ${overflow}px)`);
  await page.setViewportSize({ width: 320, height: 700 });
  const narrow = await boxes(page, "#map svg a .tap");
  const least = Math.min(...narrow.map((b) => Math.min(b.w, b.h)));
  check(least >= 44, `at 320 px too, pins are at least 44 px to tap (smallest ${least.toFixed(1)} px)`);
  await page.setViewportSize({ width: 390, height: 844 });
  const first = await page.locator("#map svg a").first();
  const href = await first.getAttribute("href");
  await first.locator(".tap").click();
  await page.waitForURL((u) => u.pathname === href, { timeout: 5000 });
  check(true, `tapping a pin opens its page (${href})`);
  await page.close();
  if (mode === "offline") throw "done";

  // With signal: the tiles load and the live map takes the drawing's place.
  tilesUp = true;
  await phone.unroute(away);
  const live = await phone.newPage();
  const asked = tileRequests;
  await live.goto(base + mapPath);
  const shown = await live.waitForSelector(".live:not(.off)", { timeout: 10000 }).then(() => true, () => false);
  check(shown && tileRequests > asked, `with tiles, the live map shows (${tileRequests - asked} tiles asked for)`);
  check(!(await live.locator("#map svg").isVisible()), "the live map replaces the drawing");
  await live.waitForTimeout(500);
  // Tiles stay inside the map's frame: the grey help text above it shows no tile colour.
  const shot = await live.locator("main p.muted").screenshot();
  const coloured = await live.evaluate(async (b64) => {
    const img = new Image();
    img.src = "data:image/png;base64," + b64;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width; c.height = img.height;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - px[i + 1]) > 24 || Math.abs(px[i + 1] - px[i + 2]) > 24) n++;
    return n / (px.length / 4);
  }, shot.toString("base64"));
  check(coloured < 0.01, `the live map stays inside its frame (${(coloured * 100).toFixed(1)}% of the text above is coloured)`);
  const credit = await live.locator(".leaflet-control-attribution").textContent();
  check(credit.includes("© OpenStreetMap contributors"), `the tiles are credited (${credit})`);
  const markers = await boxes(live, ".live .leaflet-marker-icon");
  check(markers.length > 0, `the live map has pins (${markers.length})`);
  const tiny = markers.filter((b) => b.w < 44 || b.h < 44);
  check(tiny.length === 0, `every live pin is at least 44 px to tap (${JSON.stringify(tiny)})`);
  const clash = overlaps(markers);
  check(clash.length === 0, `no live pin covers another (${JSON.stringify(clash)})`);
  const controls = await boxes(live, ".leaflet-control-zoom a");
  check(controls.every((b) => b.w >= 44 && b.h >= 44), `zoom buttons are 44 px (${JSON.stringify(controls)})`);
  // A pin's name shows on tap, one at a time, as a link to its page.
  const plain = live.locator(".live .leaflet-marker-icon.pin-r, .live .leaflet-marker-icon.pin-h");
  await plain.first().click();
  const popup = live.locator(".leaflet-popup-content a");
  await popup.waitFor({ timeout: 5000 });
  const link = await popup.boundingBox();
  check((await popup.count()) === 1 && link.height >= 44, `a tapped pin shows its name as a link (${await popup.textContent()})`);
  const styled = await live.evaluate(() => [...document.styleSheets].some((s) => (s.href || "").endsWith("/leaflet/leaflet.css")));
  check(styled, "Leaflet's styles come from the site itself");
} catch (e) {
  if (e !== "done") fail(String(e.stack || e.message));
} finally {
  await browser.close();
  server.close();
}
finish();
