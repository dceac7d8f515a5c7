// The workbench in a real browser (headless Chromium): open the NATO 2023 example, change
// Hungary's support for Rutte, see the probability change, save, reload, and find the change
// in the file with its comments intact; screenshots at 1300 and 420 px with a non-empty chart.
// Usage: node workbench.test.mjs PATH/TO/akkoord [SCREENSHOT_DIR]
// Times to the first estimate and to the refined forecast are printed, not asserted.
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const binary = resolve(process.argv[2] ?? join(here, "../../../target/debug/akkoord"));
const shots = resolve(process.argv[3] ?? join(tmpdir(), "akkoord-workbench-shots"));
mkdirSync(shots, { recursive: true });
const folder = mkdtempSync(join(tmpdir(), "akkoord-workbench-"));
const file = join(folder, "nato-2023.toml");
copyFileSync(join(here, "../../akkoord-cli/tests/fixtures/nato-2023-11-28.toml"), file);
const original = readFileSync(file, "utf8");

const server = spawn(binary, ["serve", folder, "--port", "0"], { stdio: ["ignore", "ignore", "pipe"] });
const base = await new Promise((ok, fail) => {
  let said = "";
  server.stderr.on("data", (chunk) => {
    said += chunk;
    const found = said.match(/http:\/\/[0-9.:]+\//);
    if (found) ok(found[0].replace(/\/$/, ""));
  });
  server.on("exit", (code) => fail(new Error(`the server exited (${code}): ${said}`)));
  setTimeout(() => fail(new Error(`the server did not start: ${said}`)), 20000);
});

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  await page.goto(`${base}/`);
  await page.click("a[href='/s/nato-2023.toml']");
  await page.waitForSelector("#grid");
  const rutte = () => page.textContent("#outcomes tr[data-id='rutte'] .p");
  const before = await rutte();

  await page.click("#grid td[data-actor='HUN'][data-candidate='rutte']");
  await page.fill("#editor input[name='support']", "90");
  await page.fill("#editor input[name='sd']", "5");
  const started = Date.now();
  await page.click("#editor button[type='submit']");
  await page.waitForSelector("#status[data-estimate='quick'], #status[data-estimate='full']");
  const firstEstimate = Date.now() - started;
  await page.waitForSelector("#status[data-estimate='full']", { timeout: 60000 });
  const refined = Date.now() - started;
  const after = await rutte();
  const change = await page.textContent("#change");
  assert.notEqual(after, before, "Rutte's probability moves");
  assert.match(change, /Mark Rutte [0-9.]+% -> [0-9.]+%/);
  assert.ok(parseFloat(after) > parseFloat(before), `${before} -> ${after}`);

  // An invalid edit shows the loader's message beside the field and changes nothing.
  await page.click("#grid td[data-actor='HUN'][data-candidate='kallas']");
  await page.fill("#editor input[name='support']", "150");
  await page.click("#editor button[type='submit']");
  await page.waitForFunction(() => document.getElementById("editor-error").textContent.length > 0);
  assert.match(await page.textContent("#editor-error"), /line \d+, column \d+/);

  for (const width of [1300, 420]) {
    await page.setViewportSize({ width, height: 900 });
    const chart = await page.locator("#chart svg").boundingBox();
    assert.ok(chart && chart.width > 100 && chart.height > 50, `chart at ${width} px: ${JSON.stringify(chart)}`);
    const bars = await page.locator("#chart svg rect").count();
    assert.ok(bars > 0, `bars drawn at ${width} px`);
    await page.screenshot({ path: join(shots, `workbench-${width}.png`), fullPage: false });
  }

  await page.click("#save");
  await page.waitForFunction(() => document.getElementById("save-status").textContent.startsWith("Saved"));
  await page.reload();
  await page.waitForSelector("#grid");
  assert.equal(
    await page.getAttribute("#grid td[data-actor='HUN'][data-candidate='rutte']", "data-support"),
    "90",
  );
  const saved = readFileSync(file, "utf8");
  assert.equal(
    saved,
    original.replace(
      'actor = "HUN"\ncandidate = "rutte"\nsupport = 20\nsalience = 0.8\nsd = 15\n',
      'actor = "HUN"\ncandidate = "rutte"\nsupport = 90\nsalience = 0.8\nsd = 5\n',
    ),
    "the file holds the edit, every comment and nothing else",
  );
  console.log(`rutte ${before} -> ${after} (${change})`);
  console.log(`time to the first estimate: ${firstEstimate} ms; to the refined forecast: ${refined} ms`);
  console.log(`screenshots in ${shots}`);
} finally {
  await browser.close();
  server.kill();
}
