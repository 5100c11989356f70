// Opens the dashboard in headless Debian chromium (playwright-core) and answers the test over
// stdin/stdout, one JSON object per line:
//   started  -> {"event":"loaded","modules":{name:state,...},"title":...,"landmarks":{...}}
//   stdin {"expect":{"module":"m","state":"s"},"timeoutMs":2000}
//            -> {"event":"seen","ms":N,"reloaded":false} or {"event":"timeout",...}
//   stdin {"screenshot":"path","width":W,"height":H} -> {"event":"screenshot","path":...}
//   stdin {"quit":true} -> closes the browser and exits 0.
// Usage: node drive.mjs URL
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const url = process.argv[2];
if (!url) {
  console.error("usage: node drive.mjs URL");
  process.exit(2);
}
const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const profile = mkdtempSync(join(tmpdir(), "flatracoon-chromium-"));
// A fresh profile each run (playwright passes it to chromium as --user-data-dir).
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
let exitCode = 0;
try {
  const page = browser.pages()[0] ?? await browser.newPage();
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.waitForSelector("li.module[data-module]", { timeout: 15000 });
  await page.evaluate(() => { window.__sameDocument = "yes"; });
  const loaded = await page.evaluate(() => ({
    title: document.getElementById("title").textContent,
    revision: document.getElementById("revision").textContent,
    counts: document.getElementById("counts").textContent,
    modules: Object.fromEntries([...document.querySelectorAll("li.module")].map((m) => [m.dataset.module, {
      state: m.dataset.state,
      fields: Object.fromEntries([...m.querySelectorAll("[data-field]")].map((f) => [f.dataset.field, f.textContent])),
    }])),
    landmarks: {
      banner: document.querySelectorAll("header").length,
      main: document.querySelectorAll("main").length,
      contentinfo: document.querySelectorAll("footer").length,
      live: document.querySelectorAll("[aria-live]").length,
      lang: document.documentElement.lang,
      viewport: document.querySelector('meta[name="viewport"]')?.content ?? "",
    },
  }));
  say({ event: "loaded", ...loaded });
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const command = JSON.parse(line);
    if (command.quit) break;
    if (command.expect) {
      const started = Date.now();
      try {
        await page.waitForFunction(({ module, state }) => {
          const card = document.querySelector(`li.module[data-module="${module}"]`);
          return card && card.dataset.state === state;
        }, command.expect, { timeout: command.timeoutMs ?? 2000, polling: 50 });
        const reloaded = await page.evaluate(() => window.__sameDocument !== "yes");
        const announced = await page.evaluate(() => document.getElementById("changes").textContent);
        say({ event: "seen", ms: Date.now() - started, reloaded, announced });
      } catch (e) {
        say({ event: "timeout", ms: Date.now() - started, message: String(e.message).split("\n")[0] });
      }
    }
    if (command.screenshot) {
      await page.setViewportSize({ width: command.width ?? 1280, height: command.height ?? 900 });
      await page.screenshot({ path: command.screenshot, fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      say({ event: "screenshot", path: command.screenshot, horizontalOverflow: overflow });
    }
  }
} catch (e) {
  console.error(`error: ${String(e.message).split("\n")[0]}`);
  exitCode = 1;
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(exitCode);
