// A person joins a served coplan in the system's headless Chromium and adds a stage.
//
//   node join-and-edit.cjs JOIN-LINK CHROMIUM STAGE-TITLE STAGE-COUNT [close-unsaved]
//
// With "close-unsaved" the tab is closed the moment the new stage shows, before anyone
// saves: the served app must keep the edit all the same.
// puppeteer-core (installed for tests/js/axe) drives the installed Chromium; no browser is
// downloaded.  The terminal is drawn on a canvas, so the script reads what the app sends
// over the websocket instead: it waits for words to appear there, with deadlines, never for
// a fixed time.  Prints JSON: {"steps": [...]} on success; exits 1 with the reason otherwise.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const puppeteer = require(path.join(__dirname, "..", "axe", "node_modules", "puppeteer-core"));

const DEADLINE = Number(process.env.COPLAN_DEADLINE_MS || 90000);

async function main() {
  const [link, chromium, title, count, mode] = process.argv.slice(2);
  const before = Number(count);
  if (!link || !title || !before) {
    console.error("usage: node join-and-edit.cjs JOIN-LINK CHROMIUM STAGE-TITLE STAGE-COUNT");
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
  const steps = [];
  try {
    const tab = await browser.newPage();
    await tab.setViewport({ width: 1400, height: 900 });
    // Keep the text the app sends, escape sequences taken out, for the waits below.
    await tab.evaluateOnNewDocument(() => {
      window.__drawn = "";
      const Native = window.WebSocket;
      const decoder = new TextDecoder();
      window.WebSocket = function (url, protocols) {
        const socket = new Native(url, protocols);
        socket.addEventListener("message", (event) => {
          if (typeof event.data !== "string") {
            const text = decoder.decode(new Uint8Array(event.data), { stream: true });
            // eslint-disable-next-line no-control-regex
            window.__drawn += text.replace(/\x1b\[[0-9;?<>=]*[ -\/]*[@-~]/g, "");
          }
        });
        return socket;
      };
      window.WebSocket.prototype = Native.prototype;
      Object.assign(window.WebSocket, Native);
    });
    const waitFor = async (words, from) => {
      try {
        await tab.waitForFunction((w, f) => window.__drawn.slice(f).includes(w),
                                  { timeout: DEADLINE, polling: 50 }, words, from);
      } catch (error) {
        const drawn = await tab.evaluate(() => window.__drawn);
        const at = drawn.lastIndexOf(process.env.COPLAN_LOOK || words);
        throw new Error(`waited for "${words}"; the app drew: ${JSON.stringify(at >= 0 ? drawn.slice(at - 300, at + 300) : drawn.slice(-3000))}`);
      }
      steps.push(words);
    };
    const mark = () => tab.evaluate(() => window.__drawn.length);
    const response = await tab.goto(link, { waitUntil: "load" });
    if (response.status() !== 200) throw new Error(`the join link answered ${response.status()}`);
    const address = tab.url();
    if (address.includes("token=")) throw new Error(`the token stayed in the address: ${address}`);
    await waitFor(`${before} stages`, 0);
    await tab.focus(".xterm-helper-textarea");
    let at = await mark();
    await tab.keyboard.press("a");
    await waitFor("Add a stage", at);
    at = await mark();
    await tab.keyboard.type(title);
    // A new stage is given its length (the form fills in nothing nobody chose): Tab past
    // the id and the phase to it.
    for (let i = 0; i < 3; i += 1) await tab.keyboard.press("Tab");
    await tab.keyboard.type("2w");
    await tab.keyboard.down("Control");
    await tab.keyboard.press("s");
    await tab.keyboard.up("Control");
    await waitFor(`${before + 1} stages`, at);
    if (mode !== "close-unsaved") {  // else the tab closes right after the edit, unsaved
      at = await mark();
      await tab.keyboard.down("Control");
      await tab.keyboard.press("s");
      await tab.keyboard.up("Control");
      await waitFor("✔ saved", at);  // not "saved": "not saved yet" has it too
    }
    await tab.close();
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify({ steps }) + "\n");
}

main().catch((error) => {
  console.error(String(error && error.stack || error));
  process.exit(1);
});
