const { fakeServer, flush } = require('./helpers/server');
const rec = require('./helpers/recordings');

let app;
beforeAll(() => {
  global.App = (definition) => {
    app = definition;
  };
  require('../../miniprogram/app');
});

afterAll(() => {
  delete global.App;
});

test('launch registers the privacy handler, logs in silently and fetches the subscribe templates', async () => {
  const onNeed = jest.fn();
  wx.onNeedPrivacyAuthorization = onNeed;
  jest.spyOn(wx, 'login').mockImplementation(({ success }) => setTimeout(() => success({ code: 'c1' }), 0));
  const server = fakeServer(Object.assign(rec.replay('wechat_templates'), {
    'POST /auth/wechat-login': { status: 200, body: { token: 'launch-token', expires_at: null, user: { kind: 'resident', id: 1 } } },
  }));
  app.onLaunch();
  await flush(10);
  expect(onNeed).toHaveBeenCalledTimes(1);
  expect(server.callsTo('POST', '/auth/wechat-login')[0].data).toEqual({ code: 'c1' });
  expect(wx.getStorageSync('auth.session').token).toBe('launch-token');
  expect(server.callsTo('GET', '/wechat/templates')[0].header.Authorization).toBe('Bearer launch-token');
  expect(wx.getStorageSync('subscribe.templates')).toEqual(rec.body('wechat_templates'));
});

test('the stored template ids survive a failed fetch; a kind without an id is not asked for', async () => {
  wx.setStorageSync('auth.session', { token: 't' });
  wx.setStorageSync('subscribe.templates', { report_status: 'TPL-R' });
  fakeServer({ 'GET /wechat/templates': { network: true } });
  app.onLaunch();
  await flush(10);
  const subscribe = require('../../miniprogram/utils/subscribe');
  expect(subscribe.templateIds('survey')).toEqual(['TPL-R']);
});

test('a failed launch login is swallowed: the first page request will try again', async () => {
  jest.spyOn(wx, 'login').mockImplementation(({ fail }) => setTimeout(() => fail({ errMsg: 'login:fail' }), 0));
  fakeServer({});
  expect(() => app.onLaunch()).not.toThrow();
  await flush();
  expect(wx.getStorageSync('auth.session')).toBe('');
});
