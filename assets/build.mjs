// Builds the front end into static/dist/ (git-ignored): GOV.UK Frontend compiled from Sass with
// Arial and without the GDS Transport font (reserved for GOV.UK), plus the JS we serve ourselves.
import { compile, NodePackageImporter } from "sass";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "dist");
mkdirSync(out, { recursive: true });

const css = compile(join(root, "assets", "scss", "app.scss"), {
  importers: [new NodePackageImporter()],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "app.css"), css.css);

const copies = {
  "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js": "govuk-frontend.min.js",
  "node_modules/htmx.org/dist/htmx.min.js": "htmx.min.js",
  "assets/js/app.mjs": "app.mjs",
};
for (const [from, to] of Object.entries(copies)) copyFileSync(join(root, from), join(out, to));
console.log(`built ${out}`);
