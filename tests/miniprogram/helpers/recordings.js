// Real server answers recorded by the Python API tests (tests/recording.py writes
// build/recordings/<name>.json: {method, path, query, status, body}). Page tests replay them so the
// mini-program is checked against what the server really says. A missing recording fails the test
// with its name: run the Python suite first (`make test` does).
const fs = require('fs');
const path = require('path');

const DIR = path.resolve(__dirname, '../../../build/recordings');

function recording(name) {
  const file = path.join(DIR, `${name}.json`);
  if (!fs.existsSync(file)) {
    throw new Error(
      `recording "${name}" is missing (build/recordings/${name}.json). It is written by the Python API tests: `
      + 'run "make test" or ".venv/bin/python -m pytest -p no:randomly tests/api" before jest.',
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The recorded body, a fresh copy each time so a test may change it. */
function body(name) {
  return JSON.parse(JSON.stringify(recording(name).body));
}

/**
 * The recorded query string as services/ send it: each name and value percent-encoded the way
 * encodeURIComponent does (the Python test client may record q=建业 where the page sends
 * q=%E5%BB%BA%E4%B8%9A).
 */
function query(name) {
  const raw = recording(name).query || '';
  if (!raw) return '';
  return raw.split('&').map((part) => {
    const [k, ...v] = part.split('=');
    const enc = (x) => encodeURIComponent(decodeURIComponent(x.replace(/\+/g, ' ')));
    return v.length ? `${enc(k)}=${enc(v.join('='))}` : enc(k);
  }).join('&');
}

/** The path as services/ send it (relative to the API base), with the recorded query if any. */
function routeKey(name, { withQuery = false } = {}) {
  const r = recording(name);
  const rel = r.path.replace(/^\/api\/v1(?=\/|$)/, '');
  const q = withQuery ? query(name) : '';
  return `${r.method} ${rel}${q ? `?${q}` : ''}`;
}

/** A fakeServer route that answers as the server did: {'GET /reports/1': {status, body}}. */
function replay(name, options) {
  const r = recording(name);
  return { [routeKey(name, options)]: { status: r.status, body: body(name) } };
}

/** Several recordings as one routes object. */
function replayAll(...names) {
  return Object.assign({}, ...names.map((n) => replay(n)));
}

module.exports = { recording, body, query, replay, replayAll, routeKey, DIR };
