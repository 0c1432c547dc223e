// Every request the mini-program's services can send must exist in the server's OpenAPI document.
// The document is exported by the server's own test run (make test) to build/openapi.json.
// The calls are recorded by invoking every exported service function, so a new endpoint cannot
// slip past: an export with no sample below fails the test until someone adds one.
const fs = require('fs');
const path = require('path');
const { fakeServer } = require('./helpers/server');

const REPO = path.resolve(__dirname, '../..');
const OPENAPI = path.join(REPO, 'build/openapi.json');
const SERVICES = path.join(REPO, 'miniprogram/services');
// Plumbing, not resources: request.js is exercised through every other module.
const PLUMBING = ['request.js', 'token.js'];

const SAMPLES = {
  auth: { wechatLogin: [], devLogin: ['dev-openid'], logout: [], isLoggedIn: null },
  communities: { search: [{ q: '曹杨', page: 2 }], get: [7], getByCode: ['SH-PT-0007'], status: [7] },
  memberships: {
    apply: [{ communityId: 7, building: '12', unit: '2', room: '301' }], list: [{ status: 'pending' }], leave: [41],
    pending: [], approve: [41], reject: [41, '房号不存在'],
  },
  me: { get: [], data: [], remove: [] },
  surveys: {
    list: [{ status: 'open' }], get: [3], submit: [3, { answers: { q1: 5 }, answerToken: 't', idempotencyKey: 'k' }],
    results: [3], staffList: [], staffResults: [3],
  },
  reports: {
    categories: [], similar: [{ categoryId: 3, building: '2号楼' }], create: [{ categoryId: 3, description: '楼道堆物' }],
    mine: [], get: [5], rate: [5, 'satisfied'], support: [5], board: [], inbox: [{ overdue: true }], staffGet: [5],
    act: [5, { action: 'accept' }],
  },
  uploads: { upload: ['wxfile://tmp/1.jpg'], photoView: null },
  inspections: {
    myVolunteering: [], volunteer: [], mine: [{ status: 'assigned' }], get: [4], grade: [4, 12, { grade: 'A', photoId: 9 }],
    submit: [4],
  },
  notifications: { list: [], unreadCount: [], markRead: [9], markAllRead: [], subscribeTemplates: [] },
  staff: {
    login: ['xh-tp-r01', 'pw'], wechatLogin: [], bind: ['xh-tp-r01', 'pw'], unbind: [], logout: [], isLoggedIn: null, me: [],
  },
};
// null above marks a local-only function: it must send nothing.

function loadOpenApi() {
  if (!fs.existsSync(OPENAPI)) {
    throw new Error(
      `build/openapi.json is missing. The contract test checks the mini-program against the server's `
      + `OpenAPI document, which the Python test run exports before jest; run the whole "make test" `
      + `(or export the document with the server) instead of jest alone.`,
    );
  }
  const doc = JSON.parse(fs.readFileSync(OPENAPI, 'utf8'));
  const operations = [];
  for (const [p, item] of Object.entries(doc.paths || {})) {
    const rel = p.replace(/^\/api\/v1(?=\/|$)/, '') || '/';
    // One path segment per parameter, whatever the server calls it ({community_id} vs {id}).
    const pattern = new RegExp(`^${rel.split('/').map((seg) => (/^\{.+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}$`);
    for (const method of Object.keys(item)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) operations.push({ method: method.toUpperCase(), path: rel, pattern });
    }
  }
  return operations;
}

function serviceModules() {
  return fs.readdirSync(SERVICES).filter((f) => f.endsWith('.js') && !PLUMBING.includes(f)).map((f) => f.replace(/\.js$/, ''));
}

async function recordCalls() {
  const recorded = [];
  jest.spyOn(wx, 'login').mockImplementation(({ success }) => setTimeout(() => success({ code: 'code' }), 0));
  for (const name of serviceModules()) {
    const mod = require(path.join(SERVICES, name));
    for (const [fn, impl] of Object.entries(mod)) {
      if (typeof impl !== 'function') continue;
      const args = SAMPLES[name] && SAMPLES[name][fn];
      if (args === undefined) throw new Error(`services/${name}.js exports ${fn}() with no sample in contract.test.js`);
      wx.setStorageSync('auth.session', { token: 'token' });
      wx.setStorageSync('auth.staff-session', { token: 'staff-token' });
      const server = fakeServer({});
      // wx.uploadFile is the other way out (services/request.js's upload); record it the same way.
      const uploads = jest.spyOn(wx, 'uploadFile').mockImplementation((options) => {
        setTimeout(() => options.success({ statusCode: 201, data: JSON.stringify({ id: 1, url: '/x' }) }), 0);
        return { onProgressUpdate() {} };
      });
      // Any route answers 200 with a body good enough for every caller (login reads .token).
      server.spy.mockImplementation((options) => {
        setTimeout(() => options.success({ statusCode: 200, data: { token: 'token', expires_at: null, items: [] } }), 0);
      });
      await impl(...(args || []));
      const calls = server.spy.mock.calls.map(([o]) => ({
        method: o.method, path: o.url.replace(/^https?:\/\/[^/]+\/api\/v1/, '').split('?')[0], from: `${name}.${fn}`,
      })).concat(uploads.mock.calls.map(([o]) => ({
        method: 'POST', path: o.url.replace(/^https?:\/\/[^/]+\/api\/v1/, '').split('?')[0], from: `${name}.${fn}`,
      })));
      uploads.mockRestore();
      if (args === null) expect({ fn: `${name}.${fn}`, calls }).toEqual({ fn: `${name}.${fn}`, calls: [] });
      else if (!calls.length) throw new Error(`${name}.${fn}() sent no request`);
      server.spy.mockRestore();
      recorded.push(...calls);
    }
  }
  return recorded;
}

test('every method and path the services call exists in the server OpenAPI document', async () => {
  const operations = loadOpenApi();
  const calls = await recordCalls();
  const missing = calls.filter((c) => !operations.some((op) => op.method === c.method && op.pattern.test(c.path)));
  expect(missing.map((c) => `${c.method} ${c.path} (${c.from})`)).toEqual([]);
  // Guard against a vacuous pass: the foundation endpoints were actually exercised.
  expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(expect.arrayContaining([
    'POST /auth/wechat-login', 'GET /me', 'GET /communities', 'GET /communities/7',
    'GET /communities/by-code/SH-PT-0007', 'POST /memberships', 'GET /memberships', 'POST /memberships/41/leave',
    'GET /communities/7/status', 'POST /surveys/3/responses', 'GET /surveys/3/results', 'POST /uploads',
    'POST /reports', 'GET /reports/similar', 'POST /reports/5/rating', 'POST /reports/5/support', 'GET /reports/board',
    'POST /reports/5/actions', 'POST /memberships/41/approve', 'POST /memberships/41/reject', 'GET /notifications',
    'POST /notifications/9/read', 'POST /auth/staff-login', 'POST /auth/staff-wechat-login', 'POST /auth/staff-bind',
    'POST /auth/staff-unbind', 'GET /wechat/templates',
  ]));
});

test('only services/request.js calls wx.request, and pages/components reach the server only through services', () => {
  const offenders = [];
  (function walk(dir) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(path.join(REPO, 'miniprogram'), full);
      if (entry.isDirectory()) {
        if (entry.name !== 'miniprogram_npm') walk(full);
      } else if (entry.name.endsWith('.js')) {
        const src = fs.readFileSync(full, 'utf8');
        if (rel !== path.join('services', 'request.js') && /\bwx\.(request|uploadFile)\s*\(/.test(src)) offenders.push(`${rel}: wx.request/uploadFile`);
        if (!rel.startsWith('services') && /require\([^)]*services\/(request|token)['"]/.test(src)) offenders.push(`${rel}: uses request/token directly`);
        if (!rel.startsWith('services') && rel !== 'config.js' && /['"`]\/(api|auth|me|communities|memberships|surveys|reports|uploads|notifications)\b/.test(src)) offenders.push(`${rel}: builds an API URL`);
      }
    }
  }(path.join(REPO, 'miniprogram')));
  expect(offenders).toEqual([]);
});
