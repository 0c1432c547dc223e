// Loading pages and components from miniprogram/ into miniprogram-simulate.
const fs = require('fs');
const path = require('path');
const simulate = require('miniprogram-simulate');
const token = require('../../../miniprogram/services/token');
const exparser = require('miniprogram-exparser');
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

/** Load each page once per test file; render as often as needed. Pages may share components. */
let loads = 0;

function load(relPath) {
  const componentPath = path.join(MP_ROOT, relPath);
  const options = { rootPath: MP_ROOT, usingComponents: npmOverrides(componentPath) };
  loads += 1;
  if (loads === 1) return simulate.load(componentPath, options);
  // simulate runs each component's JS with require(), and jest caches modules: a component that a
  // second page in the same file shares (t-cell, state-view) would never call Component() again and
  // render empty. Later loads get a fresh module registry so their components run again. Their
  // modules are then copies: state shared with the test goes through wx (storage, stubs), as here.
  let id;
  jest.isolateModules(() => {
    id = simulate.load(componentPath, options);
  });
  return id;
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
 * Tests look at the rendered DOM, as a person would: exparser's querySelector neither crosses
 * component boundaries nor matches tag names, and tdesign components are virtual hosts.
 * Rendered classes carry a component prefix ("t-button--t-button"), so match on the suffix.
 */
function all(comp, cls) {
  return [...comp.dom.querySelectorAll('[class]')].filter((el) => el.className.split(/\s+/).some((c) => c === cls || c.endsWith(`--${cls}`)));
}

function has(comp, cls) {
  return all(comp, cls).length > 0;
}

/** Fire an event on a rendered DOM node the way the framework would (bubbling, crossing shadows). */
function dispatch(el, eventName, detail = {}) {
  if (!el.__wxElement) throw new Error('not a rendered mini-program node');
  exparser.Event.dispatchEvent(el.__wxElement, exparser.Event.create(eventName, detail, {
    bubbles: true, composed: true, capturePhase: true, extraFields: { touches: {}, changedTouches: {} },
  }));
}

/**
 * The t-button showing exactly `text`. Only tdesign renders wx-button here, so finding one also
 * proves the npm component resolved (an unresolved one renders as an empty tag).
 */
function button(comp, text) {
  const buttons = [...comp.dom.querySelectorAll('wx-button')];
  const hit = buttons.find((b) => b.textContent.trim() === text);
  if (!hit) {
    throw new Error(`no button "${text}"; visible buttons: ${buttons.map((b) => `"${b.textContent.trim()}"`).join(', ') || 'none'}`);
  }
  return hit;
}

/** Tap a button as a person would, then let the handlers and the fake network settle. */
async function tap(comp, text) {
  dispatch(button(comp, text), 'tap');
  await flush();
}

/** The first rendered node of our own markup with class `cls` (e.g. a t-cell's host wrapper). */
function first(comp, cls) {
  const el = all(comp, cls)[0];
  if (!el) throw new Error(`nothing rendered with class ${cls}`);
  return el;
}

/** The first node with class `cls` whose text includes `text`: a t-cell, a list card. */
function withText(comp, cls, text) {
  const el = all(comp, cls).find((node) => node.textContent.includes(text));
  if (!el) throw new Error(`nothing with class ${cls} shows "${text}"`);
  return el;
}

/** Tap the row (t-cell, card, chip) with class `cls` showing `text`, then let things settle. */
async function tapText(comp, cls, text) {
  dispatch(withText(comp, cls, text), 'tap');
  await flush();
}

/** Pretend a login already happened so a test starts with a token in storage. */
function signIn(value = 'token-1') {
  token.set(value, null);
}

module.exports = {
  load, render, textOf, all, has, first, withText, dispatch, button, tap, tapText, signIn, flush, MP_ROOT, simulate,
};
