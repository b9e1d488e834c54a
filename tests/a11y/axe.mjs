// The accessibility and narrow-screen check of guidepack's HTML output, run by
// tests/accessibility.rs: every `*.html` under the folders given is opened in Debian's Chromium
// (through playwright-core, one browser for all pages) at 1280 and 375 px wide, axe-core is run on
// it (WCAG 2.0-2.2 A/AA and best practice), and at 375 px the layout is measured: no sideways
// scroll, every table cell on screen, and when printed every table still a real table.
//
// Usage: node tests/a11y/axe.mjs <dir or page>...
// Prints one JSON object: { "pages": n, "cells": n, "violations": [...], "layout": [...] }, where
// cells counts the table cells measured at 375 px. Exit 0 when the check ran (whatever it found),
// 2 when it could not run.

import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import axe from "axe-core";
import { chromium } from "playwright-core";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const VIEWPORTS = [
  { width: 1280, height: 900 },
  { width: 375, height: 812 },
];
const CHROMIUM = process.env.GUIDEPACK_CHROMIUM || "/usr/bin/chromium";

function pages(dir) {
  if (!statSync(dir).isDirectory()) return dir.endsWith(".html") ? [dir] : [];
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...pages(path));
    else if (name.endsWith(".html")) found.push(path);
  }
  return found;
}

// Runs in the page at 375 px: what a reader on a phone cannot see. Column headers are hidden
// from sight there (each cell shows its own), so the cells checked are those of the body.
function narrowLayout() {
  const problems = [];
  let cells = 0;
  const width = window.innerWidth;
  const scrollWidth = document.scrollingElement.scrollWidth;
  if (scrollWidth > width) {
    problems.push(`the page scrolls sideways: ${scrollWidth} px wide in a ${width} px window`);
  }
  for (const table of document.querySelectorAll("main table")) {
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        cells += 1;
        const box = cell.getBoundingClientRect();
        const text = cell.textContent.trim().slice(0, 40);
        if (box.width === 0 || box.height === 0) {
          problems.push(`table cell "${text}" is not shown`);
        } else if (box.left < 0 || box.right > width + 0.5) {
          problems.push(
            `table cell "${text}" is off-screen (${Math.round(box.left)}..${Math.round(box.right)} px)`,
          );
        } else if (cell.scrollWidth > cell.clientWidth + 1) {
          problems.push(`table cell "${text}" is cut off (${cell.scrollWidth} px in ${cell.clientWidth} px)`);
        }
        // A cell shown apart from its column's header (stacked, not in a table's grid) says
        // which column it is in.
        const header = headers[i] || "";
        const below = getComputedStyle(cell).display !== "table-cell";
        const label = getComputedStyle(cell, "::before").content;
        if (header && below && !label.includes(header)) {
          problems.push(`table cell "${text}" does not show its column header "${header}"`);
        }
      });
    }
  }
  return { problems, cells };
}

function printedTables() {
  const problems = [];
  for (const table of document.querySelectorAll("main table")) {
    const shown = getComputedStyle(table).display;
    if (shown !== "table") problems.push(`a table prints as display: ${shown}, not as a table`);
  }
  return problems;
}

async function main() {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error("usage: node tests/a11y/axe.mjs <dir>...");
    process.exit(2);
  }
  const files = dirs.flatMap((d) => pages(resolve(d)).map((path) => ({ path })));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const violations = [];
  const layout = [];
  let cells = 0;
  try {
    // One tab per viewport, both at once (the machine has two cores).
    await Promise.all(
      VIEWPORTS.map(async (viewport) => {
        const context = await browser.newContext({ viewport, javaScriptEnabled: true });
        const page = await context.newPage();
        for (const file of files) {
          const name = relative(process.cwd(), file.path);
          await page.goto(pathToFileURL(file.path).href, { waitUntil: "load" });
          await page.evaluate(axe.source);
          const result = await page.evaluate(
            (tags) =>
              window.axe.run(document, {
                runOnly: { type: "tag", values: tags },
                resultTypes: ["violations"],
              }),
            TAGS,
          );
          for (const v of result.violations) {
            violations.push({
              page: name,
              viewport: viewport.width,
              rule: v.id,
              impact: v.impact,
              help: v.help,
              nodes: v.nodes.map((n) => ({
                target: n.target.join(" "),
                html: n.html.slice(0, 300),
                summary: n.failureSummary,
              })),
            });
          }
          if (viewport.width < 600) {
            const narrow = await page.evaluate(narrowLayout);
            cells += narrow.cells;
            for (const problem of narrow.problems) {
              layout.push({ page: name, viewport: viewport.width, problem });
            }
            await page.emulateMedia({ media: "print" });
            for (const problem of await page.evaluate(printedTables)) {
              layout.push({ page: name, viewport: "print", problem });
            }
            await page.emulateMedia({ media: "screen" });
          }
        }
        await context.close();
      }),
    );
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify({ pages: files.length, cells, violations, layout }, null, 1));
}

main().catch((e) => {
  console.error(`the accessibility check could not run: ${e.stack || e}`);
  process.exit(2);
});
