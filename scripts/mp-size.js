#!/usr/bin/env node
// Package sizes as WeChat counts them at upload: every file under miniprogram/ that is not
// ignored, split into the main package and each subpackage root. Run after mp-build-npm,
// because miniprogram_npm is part of the main package.
// WeChat rejects a package over 2 MB; we keep the main package under 1.5 MB for headroom.
'use strict';

const fs = require('fs');
const path = require('path');

const MP_ROOT = path.resolve(__dirname, '..', 'miniprogram');
const MAIN_LIMIT = 1.5 * 1024 * 1024;
const SUBPACKAGE_LIMIT = 2 * 1024 * 1024;
// DevTools never uploads these (project settings, docs); they do not count.
const NOT_UPLOADED = [/^project\.config\.json$/, /^project\.private\.config\.json$/, /\.md$/, /(^|\/)\./];

function files(root) {
  const out = [];
  (function walk(dir) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(root, full).split(path.sep).join('/');
      if (NOT_UPLOADED.some((re) => re.test(rel))) continue;
      if (entry.isDirectory()) walk(full);
      else out.push({ rel, size: fs.statSync(full).size });
    }
  }(root));
  return out;
}

/** {main: {bytes, limit}, subpackages: {root: {bytes, limit}}, total} */
function measure(root = MP_ROOT) {
  const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'));
  const roots = (app.subPackages || app.subpackages || []).map((s) => s.root.replace(/\/?$/, '/'));
  const result = { main: { bytes: 0, limit: MAIN_LIMIT }, subpackages: {}, total: 0 };
  for (const r of roots) result.subpackages[r] = { bytes: 0, limit: SUBPACKAGE_LIMIT };
  for (const { rel, size } of files(root)) {
    const sub = roots.find((r) => rel.startsWith(r));
    (sub ? result.subpackages[sub] : result.main).bytes += size;
    result.total += size;
  }
  return result;
}

/** Human-readable lines plus the list of packages over their limit. */
function report(result) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const rows = [['main', result.main], ...Object.entries(result.subpackages)];
  const over = rows.filter(([, p]) => p.bytes > p.limit).map(([name]) => name);
  const lines = rows.map(([name, p]) => `${name.padEnd(16)} ${kb(p.bytes).padStart(10)} / ${kb(p.limit)}${p.bytes > p.limit ? '  OVER' : ''}`);
  lines.push(`${'total'.padEnd(16)} ${kb(result.total).padStart(10)}`);
  return { lines, over };
}

module.exports = { measure, report, MAIN_LIMIT, SUBPACKAGE_LIMIT, MP_ROOT };

if (require.main === module) {
  const { lines, over } = report(measure());
  console.log(lines.join('\n'));
  if (over.length) {
    console.error(`mp-size: over the limit: ${over.join(', ')}`);
    process.exit(1);
  }
}
