// A person joins a served coplan with the shared link in the system's headless Chromium,
// gives their name on the first page and gets the app; then a page on another site, open in
// the same browser (which holds coplan's cookie), tries to reach coplan.
//
//   node name-and-other-site.cjs SHARED-LINK CHROMIUM NAME OTHER-SITE-PAGE
//
// Prints JSON: {"app": true, "otherSite": {...what the other page could do...}}; exits 1
// with the reason otherwise.  Waits for what it expects, with deadlines, never a fixed time.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const puppeteer = require(path.join(__dirname, "..", "axe", "node_modules", "puppeteer-core"));

const DEADLINE = Number(process.env.COPLAN_DEADLINE_MS || 90000);

async function main() {
  const [link, chromium, name, other] = process.argv.slice(2);
  if (!link || !name || !other) {
    console.error("usage: node name-and-other-site.cjs SHARED-LINK CHROMIUM NAME OTHER-SITE-PAGE");
    process.exit(2);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "coplan-serve-"));
  const browser = await puppeteer.launch({
    executablePath: chromium || "/usr/bin/chromium",
    headless: true,
    userDataDir: profile,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
  });
  const result = {};
  try {
    const tab = await browser.newPage();
    await tab.setViewport({ width: 1400, height: 900 });
    let response = await tab.goto(link, { waitUntil: "load" });
    if (response.status() !== 200) throw new Error(`the join link answered ${response.status()}`);
    await tab.waitForSelector("#name", { timeout: DEADLINE });
    if (tab.url().includes("token=")) throw new Error(`the token stayed in the address: ${tab.url()}`);
    await tab.type("#name", name);
    [response] = await Promise.all([
      tab.waitForNavigation({ waitUntil: "load", timeout: DEADLINE }),
      tab.click("button[type=submit]"),
    ]);
    if (response.status() !== 200) throw new Error(`joining answered ${response.status()}`);
    // The terminal shows once the app has drawn its first screen.
    await tab.waitForFunction(() => document.body.classList.contains("-first-byte"),
                              { timeout: DEADLINE, polling: 50 });
    result.app = true;
    // The other site's page reports what it managed, in window.__outcome.
    await tab.goto(other, { waitUntil: "load" });
    await tab.waitForFunction(() => window.__outcome && window.__outcome.done,
                              { timeout: DEADLINE, polling: 50 });
    result.otherSite = await tab.evaluate(() => window.__outcome);
    await tab.close();
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((error) => {
  console.error(String(error && error.stack || error));
  process.exit(1);
});
