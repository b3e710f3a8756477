// A volunteer on a phone, in Debian's Chromium driven by playwright-core: pair through the
// link `waymark serve --edit` printed, create a relic, fill its fields, upload a photo with GPS
// and take its location, add an English translation, save and see the preview show it; then a
// conflict, and an owner link that opens one entry only.
// usage: node editor.mjs BASE PAIR_LINK SITE_DIR PHOTO.jpg SHOTS_DIR
// Prints one line per check and exits 1 when any fails.
import { check, fail, finish, launch, sleep } from "./harness.mjs";
import fs from "node:fs";
import path from "node:path";

const [base, pairLink, siteDir, photo, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });


const browser = await launch();
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  locale: "vi-VN", userAgent: "Mozilla/5.0 (Linux; Android 12; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Mobile Safari/537.36" };
const shot = (page, name) => page.screenshot({ path: path.join(shots, name) });
// Tap Save and wait for the answer page (its address may be the one the last save left).
const saveForm = async (page) => {
  await Promise.all([page.waitForNavigation(), page.tap("button:has-text('Lưu')")]);
  return page.url().includes("saved=1");
};
try {
  const context = await browser.newContext(phone);
  const page = await context.newPage();

  // Unpaired: refused.
  let r = await page.goto(`${base}/_edit/`);
  check(r.status() === 403, "an unpaired phone is refused");

  // Pair.
  await page.goto(pairLink);
  await page.fill("#label", "Điện thoại Lan");
  await shot(page, "1-pair.png");
  await page.tap("button[type=submit]");
  await page.waitForURL(`${base}/_edit/`);
  check((await page.textContent("h1")).includes("Các địa điểm"), "paired: the list of places, in Vietnamese");
  await shot(page, "2-list.png");

  // A new relic.
  await page.selectOption("#kind", "relic");
  await page.fill("#title", "Chùa Tiên");
  await page.tap("text=Tạo");
  await page.waitForURL(/\/_edit\/e\/relics\/chua-tien$/);
  check(true, "a new relic opens in its form");

  // Fill fields, upload a photo with GPS.
  await page.fill("[name='f.summary']", "Chùa trong hang đá giữa thành phố.");
  await page.fill("[name='f.district']", "Thành phố Lạng Sơn");
  await page.selectOption("[name='f.ranking']", "national");
  await page.setInputFiles("#photos", photo);
  check(await saveForm(page), "saved");
  check((await page.textContent("[role=status]")).includes("Đã lưu"), "and it says so");

  // The photo's location is offered; take it and describe the photo.
  const gps = page.locator("[data-gps]");
  check(await gps.count() === 1, "the photo's GPS position is offered");
  await gps.tap();
  check((await page.inputValue("#f\\.location\\.lat")).startsWith("21.83"), "the location fields took the photo's position");
  await page.fill("[name='img.0.alt']", "Cổng chùa");
  await page.fill("[name='t.en.title']", "Tien Pagoda");
  await page.fill("[name='t.en.body']", "A pagoda in a limestone cave.");
  await page.evaluate(() => document.querySelector("[data-gps]").closest("fieldset").scrollIntoView());
  await shot(page, "3-form.png");
  check(await saveForm(page), "saved the location, the photo's description and the translation");
  const file = fs.readFileSync(path.join(siteDir, "content/relics/chua-tien/index.md"), "utf8");
  check(file.includes("lat: 21.83") && file.includes("alt: Cổng chùa"), "location and alt text written");
  check(fs.existsSync(path.join(siteDir, "content/relics/chua-tien/index.en.md")), "the English translation written");

  // The preview shows it (after the watcher's rebuild).
  // Polled without a page (a page would reload itself on each rebuild, under our feet).
  let shown = false;
  for (let i = 0; i < 100 && !shown; i++) {
    const r = await context.request.get(`${base}/en/relics/chua-tien/`);
    shown = (await r.text()).includes("A pagoda in a limestone cave.");
    if (!shown) await sleep(100);
  }
  check(shown, "the preview page shows the English text");
  const preview = await context.newPage();
  await preview.goto(`${base}/en/relics/chua-tien/`);
  await sleep(1000); // the lists' rebuild may reload it once more
  await preview.waitForLoadState("load");
  await shot(preview, "4-preview.png");

  // A clash: someone changes the same field on disk while the form is open.
  await page.goto(`${base}/_edit/e/relics/chua-tien`);
  const disk = path.join(siteDir, "content/relics/chua-tien/index.md");
  fs.writeFileSync(disk, fs.readFileSync(disk, "utf8").replace("Chùa trong hang", "Chùa cổ trong hang"));
  await page.fill("[name='f.summary']", "Bản của Lan.");
  check(!(await saveForm(page)), "a save over a field changed meanwhile is held back");
  const conflict = await page.content();
  check(await page.inputValue("[name='f.summary']") === "Bản của Lan.", "the box keeps what she typed");
  check(conflict.includes("người khác đã đổi") && conflict.includes("Chùa cổ trong hang"), "the other value is shown at the field");
  check(fs.readFileSync(disk, "utf8").includes("Chùa cổ trong hang"), "and the file on disk is kept");
  await shot(page, "5-conflict.png");

  // An owner link for the homestay opens it and nothing else.
  await page.goto(`${base}/_edit/e/homestays/nha-lan`);
  await page.fill("#owner-label", "Chị Lan");
  await page.tap("text=Tạo đường dẫn");
  const link = await page.inputValue("input[readonly]");
  const owner = await browser.newContext(phone);
  const op = await owner.newPage();
  await op.goto(link);
  check(op.url().endsWith("/_edit/e/homestays/nha-lan"), "the owner link opens the homestay");
  await op.fill("[name='f.price_from']", "300.000đ");
  check(await saveForm(op), "the owner's save");
  check(fs.readFileSync(path.join(siteDir, "content/homestays/nha-lan.md"), "utf8").includes("price_from: 300000"), "the owner saved a new price");
  // Her pairing ends while she types (cleared, as when it expires or is revoked): the save is
  // refused, her words wait on the phone, and her link opened again offers them back.
  const nha = path.join(siteDir, "content/homestays/nha-lan.md");
  await op.fill("[name='f.price_from']", "450.000đ");
  await op.fill("#body", "Phòng mới có ban công nhìn ra suối.");
  await sleep(500);
  await owner.clearCookies();
  r = await Promise.all([op.waitForNavigation(), op.tap("button:has-text('Lưu')")]);
  check((await op.content()).includes("mở lại mục đó là lấy lại được"), "refused, and told her words are kept");
  check(!fs.readFileSync(nha, "utf8").includes("ban công"), "nothing written by the refused save");
  // Meanwhile a volunteer changes the same price.
  fs.writeFileSync(nha, fs.readFileSync(nha, "utf8").replace("price_from: 300000", "price_from: 380000"));
  await op.goto(link);
  check(await op.isVisible("#draft"), "her link opened again offers her unsaved words");
  check(await op.inputValue("[name='f.price_from']") !== "450.000đ", "without putting them in by itself");
  await shot(op, "6-draft.png");
  await op.tap("[data-draft-restore]");
  check(await op.inputValue("[name='f.price_from']") === "450.000đ" && (await op.inputValue("#body")).includes("ban công"), "brought back");
  // Her words were typed over the older price: a clash at that box, not the other change undone.
  check(!(await saveForm(op)), "saved over a newer price, they are held back");
  check((await op.content()).includes("người khác đã đổi") && (await op.inputValue("[name='f.price_from']")).replace(/\D/g, "") === "450000", "the clash is shown at the price, her value in the box");
  check(fs.readFileSync(nha, "utf8").includes("price_from: 380000"), "the other change is kept");
  check(await saveForm(op), "saved again, knowing");
  const saved = fs.readFileSync(nha, "utf8");
  check(saved.includes("price_from: 450000") && saved.includes("ban công nhìn ra suối"), "her words are in the file");
  await op.reload();
  check(!(await op.isVisible("#draft")) && await op.evaluate(() => localStorage.length) === 0, "a saved draft is forgotten");
  r = await op.goto(`${base}/_edit/e/relics/chua-tien`);
  check(r.status() === 403, "the owner link cannot open another entry");
  await owner.close();
} catch (e) {
  fail(String(e));
} finally {
  await browser.close();
}
finish();
