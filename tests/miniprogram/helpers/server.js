// A fake API server behind wx.request: routes are "METHOD /path" (path relative to the API base,
// query string ignored unless the route includes one). Responses arrive asynchronously like the
// real thing. A request no route answers is recorded and fails the test in afterEach, so a page
// calling an unexpected endpoint cannot pass by accident.
const config = require('../../../miniprogram/config');

const BASE = config.BASE_URLS.develop;
const servers = [];

afterEach(() => {
  const unanswered = servers.flatMap((s) => s.unmatched);
  servers.length = 0;
  if (unanswered.length) {
    throw new Error(`requests with no fake route: ${unanswered.join(', ')}`);
  }
});

function split(url) {
  const rel = url.startsWith(BASE) ? url.slice(BASE.length) : url;
  const [path, query = ''] = rel.split('?');
  return { path, query };
}

/**
 * routes: { 'GET /me': {status: 200, body: {...}} | (req) => ({status, body}) | [resp1, resp2, ...] }
 * An array answers successive calls in order (the last one repeats).
 * Options on a response: {network: true} makes wx.request call `fail` (no connection);
 * {delay: ms} answers later than the others.
 */
function fakeServer(routes = {}) {
  const server = { calls: [], unmatched: [], routes: Object.assign({}, routes) };
  const counts = {};
  servers.push(server);

  const spy = jest.spyOn(wx, 'request').mockImplementation((options) => {
    const { path, query } = split(options.url);
    const method = (options.method || 'GET').toUpperCase();
    const call = { method, path, query, data: options.data, header: options.header || {} };
    server.calls.push(call);
    const key = [`${method} ${path}?${query}`, `${method} ${path}`].find((k) => k in server.routes);
    let response;
    if (!key) {
      server.unmatched.push(`${method} ${path}`);
      response = { status: 599, body: { error: 'no_route', message: '测试中没有为此请求准备回应' } };
    } else {
      const route = server.routes[key];
      counts[key] = (counts[key] || 0) + 1;
      if (Array.isArray(route)) response = route[Math.min(counts[key], route.length) - 1];
      else if (typeof route === 'function') response = route(call);
      else response = route;
    }
    setTimeout(() => {
      if (response.network) {
        options.fail && options.fail({ errMsg: response.errMsg || 'request:fail' });
      } else {
        options.success && options.success({ statusCode: response.status || 200, data: response.body, header: {} });
      }
    }, response.delay || 0);
    return { abort() {} };
  });

  server.spy = spy;
  server.callsTo = (method, path) => server.calls.filter((c) => c.method === method && c.path === path);
  return server;
}

/** An error body in the server's one shape. */
function apiError(status, error, message, details = {}) {
  return { status, body: { error, message, details } };
}

/** Let pending promises and 0 ms timers (the fake network) run. */
function flush(times = 5) {
  let chain = Promise.resolve();
  for (let i = 0; i < times; i++) chain = chain.then(() => new Promise((r) => setTimeout(r, 0)));
  return chain;
}

module.exports = { fakeServer, apiError, flush, BASE };
