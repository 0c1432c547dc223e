#!/usr/bin/env node
// The "构建 npm" step without WeChat DevTools: copy each mini-program package's published folder
// into miniprogram/miniprogram_npm/<package>, but only the files the project actually reaches.
// Copying all of tdesign would cost ~1.2 MB of the 2 MB main-package budget.
//
// The walk starts at app.json (pages, subpackages, global usingComponents) and follows
// usingComponents, JS imports/requires, WXML import/include/wxs and WXSS @import, the same
// edges WeChat's own dependency analysis follows. A reference to a file that does not exist
// fails the build: that is the mistake DevTools would only show at runtime.
'use strict';

const fs = require('fs');
const path = require('path');

const REPO = path.resolve(__dirname, '..');
const MP_ROOT = path.join(REPO, 'miniprogram');
const OUT = path.join(MP_ROOT, 'miniprogram_npm');
const NODE_MODULES = path.join(REPO, 'node_modules');

// `from` only after whitespace, `}` or `*` (minified `import{a}from"b"`, `export*from"c"`), so the string "from" in
// `["from","to"]` is not read as an import.
const JS_DEPS = /(?:(?<=[\s}*])from\s*|\bimport\s*|\brequire\(\s*)["']([^"']+)["']/g;
const WXML_DEPS = /<(?:import|include|wxs)\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']/g;
const WXSS_DEPS = /@import\s+(?:url\()?\s*["']([^"']+)["']/g;
const WXS_DEPS = /\brequire\(\s*["']([^"']+)["']\s*\)/g;

function exists(file) {
  return fs.existsSync(file) && fs.statSync(file).isFile();
}

/** Folder a package publishes for mini-programs, or null when it is not a mini-program package. */
function packageDist(name) {
  const pkgDir = path.join(NODE_MODULES, name);
  const manifest = path.join(pkgDir, 'package.json');
  if (!exists(manifest)) return null;
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  const dist = path.join(pkgDir, pkg.miniprogram || 'miniprogram_dist');
  return fs.existsSync(dist) ? dist : null;
}

function splitBare(spec) {
  const parts = spec.split('/');
  const nameLen = spec.startsWith('@') ? 2 : 1;
  return { name: parts.slice(0, nameLen).join('/'), rest: parts.slice(nameLen).join('/') };
}

class Walker {
  constructor() {
    this.files = new Set(); // absolute source paths to copy (inside a package's dist)
    this.seen = new Set();
    this.errors = [];
  }

  fail(from, spec) {
    this.errors.push(`${path.relative(REPO, from)}: cannot resolve "${spec}"`);
  }

  /** Roots for bare specifiers seen from `fromFile`: nested miniprogram_npm folders, then top-level packages. */
  resolveBare(fromFile, spec, candidatesFor) {
    const { name, rest } = splitBare(spec);
    let dir = path.dirname(fromFile);
    while (dir.startsWith(REPO) && dir !== REPO) {
      const nested = path.join(dir, 'miniprogram_npm', name);
      // Never resolve into our own output folder: a stale build must not feed the next one.
      if (!nested.startsWith(OUT) && fs.existsSync(nested)) {
        const hit = candidatesFor(path.join(nested, rest)).find(exists);
        if (hit) return hit;
      }
      dir = path.dirname(dir);
    }
    const dist = packageDist(name);
    if (!dist) return null;
    return candidatesFor(path.join(dist, rest)).find(exists) || null;
  }

  resolve(fromFile, spec, candidatesFor) {
    if (spec.startsWith('/')) return candidatesFor(path.join(MP_ROOT, spec)).find(exists) || null;
    if (spec.startsWith('.')) {
      return candidatesFor(path.resolve(path.dirname(fromFile), spec)).find(exists) || null;
    }
    // WXML/WXSS paths without ./ are relative too; only JS and usingComponents have bare package names.
    const local = candidatesFor(path.resolve(path.dirname(fromFile), spec)).find(exists);
    return local || this.resolveBare(fromFile, spec, candidatesFor);
  }

  visit(file) {
    if (this.seen.has(file)) return;
    this.seen.add(file);
    if (!file.startsWith(MP_ROOT) || file.startsWith(OUT)) this.files.add(file);
    const text = fs.readFileSync(file, 'utf8');
    const ext = path.extname(file);
    if (ext === '.json') this.visitJson(file, text);
    else if (ext === '.js') this.follow(file, text, JS_DEPS, (p) => [p, `${p}.js`, path.join(p, 'index.js')]);
    else if (ext === '.wxml') this.follow(file, text, WXML_DEPS, (p) => [p, `${p}.wxml`]);
    else if (ext === '.wxss') this.follow(file, text, WXSS_DEPS, (p) => [p, `${p}.wxss`]);
    else if (ext === '.wxs') this.follow(file, text, WXS_DEPS, (p) => [p, `${p}.wxs`]);
  }

  follow(file, text, pattern, candidatesFor) {
    for (const match of text.matchAll(pattern)) {
      const spec = match[1];
      if (/^(https?:)?\/\//.test(spec) || spec.startsWith('plugin://')) continue;
      const target = this.resolve(file, spec, candidatesFor);
      if (target) this.visit(target);
      else this.fail(file, spec);
    }
  }

  visitJson(file, text) {
    const using = JSON.parse(text).usingComponents || {};
    for (const spec of Object.values(using)) {
      if (spec.startsWith('plugin://')) continue;
      this.component(file, spec);
    }
  }

  /** A page or component: its .json and .js are required, .wxml and .wxss are visited when present. */
  component(fromFile, spec) {
    const json = this.resolve(fromFile, spec, (p) => [`${p}.json`]);
    if (!json) return this.fail(fromFile, spec);
    const base = json.slice(0, -'.json'.length);
    if (!exists(`${base}.js`)) return this.fail(fromFile, `${spec}.js`);
    for (const ext of ['.json', '.js', '.wxml', '.wxss']) {
      if (exists(base + ext)) this.visit(base + ext);
    }
    return undefined;
  }
}

function walk() {
  const appJsonPath = path.join(MP_ROOT, 'app.json');
  const app = JSON.parse(fs.readFileSync(appJsonPath, 'utf8'));
  const walker = new Walker();
  const pages = [...(app.pages || [])];
  for (const sub of app.subPackages || app.subpackages || []) {
    for (const page of sub.pages) pages.push(`${sub.root.replace(/\/$/, '')}/${page}`);
  }
  for (const page of pages) walker.component(appJsonPath, `/${page}`);
  for (const spec of Object.values(app.usingComponents || {})) walker.component(appJsonPath, spec);
  for (const file of ['app.js', 'app.wxss']) {
    if (exists(path.join(MP_ROOT, file))) walker.visit(path.join(MP_ROOT, file));
  }
  return walker;
}

/** Destination of a package file: dist-relative path under miniprogram_npm/<package>. */
function destination(file) {
  const rel = path.relative(NODE_MODULES, file).split(path.sep);
  const nameLen = rel[0].startsWith('@') ? 2 : 1;
  const name = rel.slice(0, nameLen).join('/');
  const dist = packageDist(name);
  return path.join(OUT, name, path.relative(dist, file));
}

function build({ quiet = false } = {}) {
  const walker = walk();
  if (walker.errors.length) {
    throw new Error(`mp-build-npm: unresolved references\n  ${walker.errors.join('\n  ')}`);
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  let bytes = 0;
  for (const file of walker.files) {
    const dest = destination(file);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(file, dest);
    bytes += fs.statSync(file).size;
  }
  if (!quiet) {
    console.log(`mp-build-npm: copied ${walker.files.size} files (${(bytes / 1024).toFixed(1)} KB) into ${path.relative(REPO, OUT)}`);
  }
  return { files: [...walker.files].map(destination), bytes };
}

module.exports = { build, MP_ROOT, OUT };

if (require.main === module) {
  try {
    build();
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
