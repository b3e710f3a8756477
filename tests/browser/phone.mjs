// The editor on a 390 px phone (390×844, as the volunteers' own), in Debian's Chromium: every
// page fits the screen's width, list entries and checkboxes are 44 px tap targets or more, and
// Save is on the screen without scrolling. Pairs through PAIR_LINK; the site must have
// relics/den and homestays/nha-lan.
// usage: node phone.mjs BASE PAIR_LINK SHOTS_DIR
// Prints one line per check and exits 1 when any fails.
import { check, fail, finish, launch } from "./harness.mjs";
import fs from "node:fs";
import path from "node:path";

const [base, pairLink, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });

const browser = await launch();
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  locale: "vi-VN", userAgent: "Mozilla/5.0 (Linux; Android 12; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36" };

// Whether the page is wider than the screen (a sideways scroll), and what sticks out.
const overflow = (page) => page.evaluate(() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > width + 1)
    .map((e) => e.tagName + (e.className ? "." + e.className : ""));
  return { scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5) };
});
const fits = async (page, what) => {
  const o = await overflow(page);
  check(o.scroll <= o.width && o.wide.length === 0, `${what} fits 390 px (scroll width ${o.scroll}; ${o.wide.join(", ")})`);
};
// The smallest tap target among `selector`'s elements, in CSS pixels.
const smallest = (page, selector) => page.$$eval(selector, (els) => els.map((e) => {
  const r = e.getBoundingClientRect();
  return Math.min(r.width, r.height);
}).reduce((a, b) => Math.min(a, b), Infinity));

try {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(pairLink);
  await fits(page, "the pairing page");
  await page.fill("#label", "Điện thoại Lan");
  await page.tap("button[type=submit]");
  await page.waitForURL(`${base}/_edit/`);

  await fits(page, "the list");
  const entries = await page.$$("ul.entries a.entry");
  check(entries.length >= 2, "the list shows the entries");
  const entryTarget = await smallest(page, "ul.entries a.entry");
  check(entryTarget >= 44, `list entries are 44 px tap targets (smallest ${entryTarget})`);
  const buttons = await smallest(page, "main button, main a.button");
  check(buttons >= 44, `buttons are 44 px tap targets (smallest ${buttons})`);
  await page.screenshot({ path: path.join(shots, "phone-list.png") });

  // Search by a plaque code: the homestay's code (derived, shown on its row) finds it alone.
  const code = await page.textContent("ul.entries a[href$='homestays/nha-lan'] .code");
  await page.fill("#q", code);
  await Promise.all([page.waitForNavigation(), page.press("#q", "Enter")]);
  const found = await page.$$eval("ul.entries a.entry", (els) => els.map((e) => e.getAttribute("href")));
  check(found.length === 1 && found[0].endsWith("homestays/nha-lan"), `the code ${code} finds the homestay (${found})`);

  for (const id of ["homestays/nha-lan", "relics/den"]) {
    await page.goto(`${base}/_edit/e/${id}`);
    await fits(page, `the form of ${id}`);
    const save = page.locator(".savebar button");
    const box = await save.boundingBox();
    check(box && box.y >= 0 && box.y + box.height <= 844, `Lưu is on the screen without scrolling (${id}, at ${box && box.y})`);
    check(box && box.height >= 44, `Lưu is a 44 px target (${box && box.height})`);
    const checks = await smallest(page, "label.check");
    check(checks >= 44, `checkboxes with their labels are 44 px tap targets (${id}, smallest ${checks})`);
    const inputs = await page.$$eval("form#entry input:not([type=hidden]):not([type=checkbox]):not([type=file]), form#entry select", els =>
      Math.min(...els.filter(e => e.offsetParent).map(e => e.getBoundingClientRect().height)));
    check(inputs >= 44, `text boxes and choices are 44 px tap targets (${id}, smallest ${inputs})`);
    const text = await page.textContent("main");
    check(!text.includes("site.yaml") && !text.includes("plaques.lock"), `no site.yaml or plaques.lock jargon on the form (${id})`);
    const help = await page.textContent("label[for='f.title'] + .help");
    check(id.startsWith("relics") === help.includes("di tích"), `the name's help fits a ${id.split("/")[0]} entry: ${help}`);
    // Scrolled to the middle, Save is still there.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
    const mid = await save.boundingBox();
    check(mid && mid.y + mid.height <= 844 && mid.y >= 0, `Lưu stays on the screen while scrolling (${id})`);
    if (id === "homestays/nha-lan") await page.screenshot({ path: path.join(shots, "phone-form.png") });
  }

  // Pair another phone: the QR code and the long link wrap inside the screen.
  await page.goto(`${base}/_edit/`);
  await Promise.all([page.waitForNavigation(), page.tap("text=Ghép thêm điện thoại")]);
  await fits(page, "pair another phone");
  const qr = await page.locator(".qr svg").boundingBox();
  check(qr && qr.width > 100 && qr.x + qr.width <= 390, `the QR code is on the screen (${qr && qr.width} px)`);
  await page.screenshot({ path: path.join(shots, "phone-pair-another.png") });

  // The owner links page, with a new link shown.
  await page.goto(`${base}/_edit/e/homestays/nha-lan`);
  await page.fill("#owner-label", "Chị Lan, chủ nhà sàn Quỳnh Sơn");
  await Promise.all([page.waitForNavigation(), page.tap("text=Tạo đường dẫn")]);
  await fits(page, "owner links");

  await page.goto(`${base}/_edit/devices`);
  await fits(page, "paired phones");
  check((await page.textContent("main")).includes("Điện thoại Lan"), "paired phones lists this phone");
  await page.goto(`${base}/_edit/delete/relics/den`);
  await fits(page, "the delete confirmation");
  const confirm = await smallest(page, "label.check");
  check(confirm >= 44, `the confirmation box is a 44 px target (${confirm})`);
} catch (e) {
  fail(String(e));
} finally {
  await browser.close();
}
finish();
