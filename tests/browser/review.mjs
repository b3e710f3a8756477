// Review mode on a 390 px phone (390×844), in Debian's Chromium: an admin pairs through
// PAIR_LINK, finds the waiting list from the entry list (its count shown), opens the one
// waiting change, sees it field by field without a sideways scroll, and approves it with a
// 44 px button.
// usage: node review.mjs BASE PAIR_LINK SHOTS_DIR
// Prints one line per check and exits 1 when any fails.
import { check, fail, finish, launch } from "./harness.mjs";
import fs from "node:fs";
import path from "node:path";

const [base, pairLink, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });

const browser = await launch();
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  locale: "vi-VN", userAgent: "Mozilla/5.0 (Linux; Android 12; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36" };

const fits = async (page, what) => {
  const o = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > width + 1)
      .map((e) => e.tagName + (e.className ? "." + e.className : ""));
    return { scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5) };
  });
  check(o.scroll <= o.width && o.wide.length === 0, `${what} fits 390 px (scroll width ${o.scroll}; ${o.wide.join(", ")})`);
};
const tapSize = (page, selector) => page.$eval(selector, (e) => {
  const r = e.getBoundingClientRect();
  return Math.min(r.width, r.height);
});

try {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(pairLink);
  await page.fill("#label", "Điện thoại trưởng nhóm");
  await page.tap("button[type=submit]");
  await page.waitForURL(`${base}/_edit/`);

  const link = "a[href='/_edit/waiting']";
  const count = await page.getAttribute(link, "data-waiting-count");
  check(count === "1", `the list links the waiting list with its count (${count})`);
  check((await tapSize(page, link)) >= 44, "the waiting list's link is a 44 px tap target");
  check(await page.isVisible("ul.entries [data-waiting]"), "the entry with a waiting change is marked");
  await Promise.all([page.waitForNavigation(), page.tap(link)]);
  await fits(page, "the waiting list");
  await page.screenshot({ path: path.join(shots, "review-list.png") });

  const change = "ul.entries a.entry[data-key]";
  check((await page.$$(change)).length === 1, "one change waits");
  check((await tapSize(page, change)) >= 44, "a waiting change is a 44 px tap target");
  await Promise.all([page.waitForNavigation(), page.tap(change)]);
  await fits(page, "a waiting change");
  const price = await page.textContent("section[data-field='f.price_from']");
  check(price.includes("350000") && price.includes("420000"), `the price before and after (${price.trim()})`);
  await page.screenshot({ path: path.join(shots, "review-change.png"), fullPage: true });

  const approve = "button[data-approve]";
  check((await tapSize(page, approve)) >= 44, "Approve is a 44 px tap target");
  await page.tap(approve);
  await page.waitForURL(/\/_edit\/waiting\?approved=/);
  check(await page.isVisible("[data-done=approved]"), "the list says it was approved");
  check((await page.$$(change)).length === 0, "nothing waits any more");
} catch (e) {
  fail(`the review pages: ${e}`);
}
await browser.close();
finish();
