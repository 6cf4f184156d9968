// Accessibility check of HTML files with axe-core, in the system's headless Chromium.
//
//   node axe-check.js PAGE.html [CHROMIUM]
//   node axe-check.js --pages CHROMIUM PAGE.html...
//
// Prints JSON: {"violations": [...], "incomplete": n, "passes": n, "reflow": {...}}, or
// with --pages a list of those, one for each page in the order given.  With --pages one
// browser is started for all the pages (starting it is most of the time a page takes), and
// each page is checked in a browser context of its own, as a fresh browser would see it.
// puppeteer-core drives the installed Chromium (no browser is downloaded).  The page is
// checked twice: at a desktop width with every axe rule, and at 640 CSS pixels (what a
// 1280-pixel window shows at 200% zoom) for content that forces sideways scrolling.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { pathToFileURL } = require("url");
const puppeteer = require("puppeteer-core");
const axe = require("axe-core");

async function main() {
  const args = process.argv.slice(2);
  const many = args[0] === "--pages";
  const [chromium, pages] = many ? [args[1], args.slice(2)] : [args[1], args.slice(0, 1)];
  if (!pages.length || (many && !chromium)) {
    console.error("usage: node axe-check.js PAGE.html [CHROMIUM]\n" +
                  "       node axe-check.js --pages CHROMIUM PAGE.html...");
    process.exit(2);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "coplan-axe-"));
  const browser = await puppeteer.launch({
    executablePath: chromium || "/usr/bin/chromium",
    headless: true,
    userDataDir: profile,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"],
  });
  try {
    const checked = [];
    for (const page of pages) {
      checked.push(await check(browser, page));
    }
    process.stdout.write(JSON.stringify(many ? checked : checked[0], null, 2) + "\n");
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

// One page, in a browser context of its own: every axe rule at a desktop width, then what
// runs off the side at 640 CSS pixels.
async function check(browser, page) {
  const context = await browser.createBrowserContext();
  try {
    const tab = await context.newPage();
    await tab.setViewport({ width: 1280, height: 900 });
    await tab.goto(pathToFileURL(path.resolve(page)).href, { waitUntil: "load" });
    await tab.addScriptTag({ content: axe.source });
    const results = await tab.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ["violations"] });
      return {
        violations: r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
        })),
        incomplete: r.incomplete.length,
        passes: r.passes.length,
        version: axe.version,
      };
    });
    await tab.setViewport({ width: 640, height: 900 });
    results.reflow = await tab.evaluate(() => {
      const root = document.documentElement;
      const wide = [];
      for (const el of document.body.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        const inScroller = el.closest(".table-wrap, .chart-scroll");
        if (!inScroller && box.right > root.clientWidth + 1) {
          wide.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : ""));
        }
      }
      return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
               overflowing: wide.slice(0, 10) };
    });
    return results;
  } finally {
    await context.close();
  }
}

main().catch((err) => {
  console.error(String(err && err.stack ? err.stack : err));
  process.exit(3);
});
