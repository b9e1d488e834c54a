// The reader's check of a pack's search, run by tests/search.rs: a page of a pack is opened
// from disk (file://) in Debian's Chromium (through playwright-core), at 1280 and 375 px wide;
// a query is typed into the search box key by key, the results are read back, axe-core is run
// with the results showing, and Escape is pressed. The page is also opened without JavaScript,
// where there must be no search box.
//
// Usage: node tests/a11y/search.mjs <page.html> <query> [<screenshot prefix>]
// Prints one JSON object: { "nojs": {...}, "views": [{ "width", "label", "count", "status",
// "results": [{ "heading", "href", "where", "snippet", "marks" }], "violations": [...],
// "focusAfterArrow", "afterEscape": { "value", "shown", "focused" }, "noMatch", "ms" }] }, where ms is how
// long one search of the query took in the page (measured, never asserted). Exit 0 when the
// check ran, 2 when it could not.

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import axe from "axe-core";
import { chromium } from "playwright-core";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const CHROMIUM = process.env.GUIDEPACK_CHROMIUM || "/usr/bin/chromium";

async function main() {
  const [file, query, shots] = process.argv.slice(2);
  if (!file || !query) {
    console.error("usage: node tests/a11y/search.mjs <page.html> <query> [<screenshot prefix>]");
    process.exit(2);
  }
  const url = pathToFileURL(resolve(file)).href;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const views = [];
  let nojs;
  try {
    const off = await browser.newContext({ javaScriptEnabled: false });
    const plain = await off.newPage();
    await plain.goto(url, { waitUntil: "load" });
    nojs = await plain.evaluate(() => ({
      forms: document.querySelectorAll(".gp-search, input[type=search]").length,
      scripts: [...document.querySelectorAll("script")].map((s) => s.getAttribute("src")),
    }));
    await off.close();

    for (const width of [1280, 375]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(url, { waitUntil: "load" });
      await page.waitForSelector("#gp-search-input", { timeout: 5000 });
      const label = await page.evaluate(
        () => document.querySelector("label[for=gp-search-input]")?.textContent ?? "",
      );
      // Reach the box from the keyboard, then type as a reader does.
      await page.focus("#gp-search-input");
      await page.keyboard.type(query, { delay: 20 });
      // Wait for the answer to the whole query, in the count and the live region alike
      // (an answer to the first letters typed can come while the rest are still typed).
      await page.waitForFunction(
        (q) =>
          [".gp-search__count", "[role=status]"].every((sel) =>
            (document.querySelector(sel)?.textContent ?? "").includes(`“${q}”`),
          ),
        query,
        { timeout: 5000 },
      );
      const read = await page.evaluate(() => ({
        count: document.querySelector(".gp-search__count")?.textContent ?? "",
        status: document.querySelector("[role=status]").textContent,
        live: document.querySelector("[role=status]").getAttribute("aria-live"),
        results: [...document.querySelectorAll(".gp-search__result")].map((li) => ({
          heading: li.querySelector("a").textContent,
          href: li.querySelector("a").getAttribute("href"),
          where: li.querySelector(".gp-search__where")?.textContent ?? "",
          snippet: li.querySelector(".gp-search__snippet")?.textContent ?? "",
          marks: [...li.querySelectorAll("mark")].map((m) => m.textContent),
        })),
      }));
      if (shots) {
        await page.screenshot({ path: `${shots}-${width}.png`, fullPage: false });
      }
      await page.evaluate(axe.source);
      const result = await page.evaluate(
        (tags) =>
          window.axe.run(document, {
            runOnly: { type: "tag", values: tags },
            resultTypes: ["violations"],
          }),
        TAGS,
      );
      const violations = result.violations.map((v) => ({
        rule: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.html.slice(0, 200)}`),
      }));
      // How long one search takes (the whole work of a keystroke: search and draw).
      const ms = await page.evaluate((q) => {
        const input = document.querySelector("#gp-search-input");
        const start = performance.now();
        for (let i = 0; i < 10; i++) {
          input.value = q;
          input.dispatchEvent(new Event("input"));
        }
        return (performance.now() - start) / 10;
      }, query);
      await page.keyboard.press("ArrowDown");
      const focusAfterArrow = await page.evaluate(
        () => document.activeElement?.closest(".gp-search__result") !== null,
      );
      await page.keyboard.press("Escape");
      const afterEscape = await page.evaluate(() => ({
        value: document.querySelector("#gp-search-input").value,
        shown: !document.querySelector("#gp-search-results").hidden,
        focused: document.activeElement?.id === "gp-search-input",
      }));
      // Every term must match: one that is nowhere gives no results.
      await page.keyboard.type(`${query} qqqzzx`, { delay: 5 });
      const noMatch = await page.evaluate(
        () => document.querySelector(".gp-search__count")?.textContent ?? "",
      );
      views.push({
        width,
        label,
        ...read,
        violations,
        errors,
        focusAfterArrow,
        afterEscape,
        noMatch,
        ms,
      });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify({ nojs, views }, null, 1));
}

main().catch((e) => {
  console.error(`the search check could not run: ${e.stack || e}`);
  process.exit(2);
});
