const { fakeServer, flush } = require('./helpers/server');

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

test('launch registers the privacy handler and logs in silently', async () => {
  const onNeed = jest.fn();
  wx.onNeedPrivacyAuthorization = onNeed;
  jest.spyOn(wx, 'login').mockImplementation(({ success }) => setTimeout(() => success({ code: 'c1' }), 0));
  const server = fakeServer({ 'POST /auth/wechat-login': { status: 200, body: { token: 'launch-token', expires_at: null, user: { kind: 'resident', id: 1 } } } });
  app.onLaunch();
  await flush();
  expect(onNeed).toHaveBeenCalledTimes(1);
  expect(server.callsTo('POST', '/auth/wechat-login')[0].data).toEqual({ code: 'c1' });
  expect(wx.getStorageSync('auth.session').token).toBe('launch-token');
});

test('a failed launch login is swallowed: the first page request will try again', async () => {
  jest.spyOn(wx, 'login').mockImplementation(({ fail }) => setTimeout(() => fail({ errMsg: 'login:fail' }), 0));
  fakeServer({});
  expect(() => app.onLaunch()).not.toThrow();
  await flush();
  expect(wx.getStorageSync('auth.session')).toBe('');
});
