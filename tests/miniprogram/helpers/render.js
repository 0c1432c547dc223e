// Loading pages and components from miniprogram/ into miniprogram-simulate.
const fs = require('fs');
const path = require('path');
const simulate = require('miniprogram-simulate');
const token = require('../../../miniprogram/services/token');
const { flush } = require('./server');

const MP_ROOT = path.resolve(__dirname, '../../../miniprogram');

/**
 * simulate resolves "tdesign-miniprogram/button/button" relative to the page and, finding no file,
 * renders an empty tag without complaint. Point every npm component at the built miniprogram_npm
 * copy instead, and fail loudly if that copy is missing (run `npm run mp:build-npm`).
 */
function npmOverrides(componentPath, acc = {}, seen = new Set()) {
  if (seen.has(componentPath)) return acc;
  seen.add(componentPath);
  const json = JSON.parse(fs.readFileSync(`${componentPath}.json`, 'utf8'));
  Object.entries(json.usingComponents || {}).forEach(([tag, spec]) => {
    if (spec.startsWith('/')) npmOverrides(path.join(MP_ROOT, spec), acc, seen);
    else if (spec.startsWith('.')) npmOverrides(path.resolve(path.dirname(componentPath), spec), acc, seen);
    else {
      const target = `/miniprogram_npm/${spec}`;
      if (!fs.existsSync(path.join(MP_ROOT, `${target}.json`))) {
        throw new Error(`${target} is missing: run "npm run mp:build-npm" first`);
      }
      acc[tag] = target;
    }
  });
  return acc;
}

/** Load once per test file (simulate cannot load the same path twice); render as often as needed. */
function load(relPath) {
  const componentPath = path.join(MP_ROOT, relPath);
  return simulate.load(componentPath, {
    rootPath: MP_ROOT,
    usingComponents: npmOverrides(componentPath),
  });
}

function render(id, props) {
  const comp = simulate.render(id, props);
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

/** The visible text of a rendered tree, whitespace collapsed, for "the person sees X" assertions. */
function textOf(comp) {
  return comp.dom.textContent.replace(/\s+/g, ' ').trim();
}

/**
 * An npm component's inner node. tdesign components are virtual hosts (no DOM of their own), so
 * tests reach through the host into its shadow tree; `>>>` in `selector` crosses our own components.
 */
function inner(comp, selector, innerSelector) {
  const host = comp.querySelector(selector);
  if (!host) throw new Error(`no element matches ${selector}`);
  const node = host.querySelector(innerSelector);
  if (!node) throw new Error(`${selector} has no ${innerSelector}: did the npm component render?`);
  return node;
}

/** Tap a t-button: its handler sits on the inner .t-button node, not on the host. Waits for handlers. */
async function tapButton(comp, selector) {
  inner(comp, selector, '.t-button').dispatchEvent('tap');
  await flush();
}

/** Fire a custom event (e.g. t-input's change) on a host element, as the component would. */
async function fire(comp, selector, eventName, detail) {
  const host = comp.querySelector(selector);
  if (!host) throw new Error(`no element matches ${selector}`);
  host.dispatchEvent(eventName, { detail });
  await flush();
}

/** Pretend a login already happened so a test starts with a token in storage. */
function signIn(value = 'token-1') {
  token.set(value, null);
}

module.exports = { load, render, textOf, inner, tapButton, fire, signIn, flush, MP_ROOT, simulate };
