#!/usr/bin/env node
// Compiles every WXML and WXSS file of the mini-program with WeChat's own compilers (wcc/wcsc,
// shipped in miniprogram-compiler), so a template that DevTools would reject fails the build here.
// Run after mp-build-npm: the npm components' templates are compiled too, as DevTools would.
'use strict';

const fs = require('fs');
const path = require('path');
const { wxmlToJs, wxssToJs } = require('miniprogram-compiler');

const MP_ROOT = path.resolve(__dirname, '..', 'miniprogram');

function listFiles(root, ext) {
  const out = [];
  (function walk(dir) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(ext)) out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  }(root));
  return out.sort();
}

/**
 * Throws with the compiler's message when any file fails. `wxmlList` is given explicitly because
 * wcc's own file discovery follows usingComponents literally and cannot see npm package names.
 */
function check(root = MP_ROOT) {
  const wxml = listFiles(root, '.wxml');
  const wxss = listFiles(root, '.wxss');
  const options = { maxBuffer: 64 * 1024 * 1024 };
  wxmlToJs(root, { ...options, wxmlList: wxml });
  wxssToJs(root, { ...options, wxssList: wxss });
  return { wxml: wxml.length, wxss: wxss.length };
}

module.exports = { check, MP_ROOT };

if (require.main === module) {
  try {
    const counts = check();
    console.log(`mp-wxml-check: ${counts.wxml} WXML and ${counts.wxss} WXSS files compile`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
