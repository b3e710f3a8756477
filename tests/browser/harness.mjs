// What every browser check shares: Debian's Chromium through playwright-core (no browser
// download), and one printed line per check.
import { chromium } from "playwright-core";

export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", ...extraArgs],
  });
}

let failures = 0;

export function check(ok, what) {
  console.log(`${ok ? "ok" : "FAIL"}: ${what}`);
  if (!ok) failures++;
}

export function fail(what) {
  check(false, what);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// Print the verdict the Rust side looks for, and exit with it.
export function finish() {
  console.log(failures ? `${failures} failed` : "all passed");
  process.exit(failures ? 1 : 0);
}
