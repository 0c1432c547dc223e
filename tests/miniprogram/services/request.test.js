const { request, ApiError, NETWORK_MESSAGE, TIMEOUT_MESSAGE } = require('../../../miniprogram/services/request');
const token = require('../../../miniprogram/services/token');
const { fakeServer, apiError } = require('../helpers/server');
const { signIn } = require('../helpers/render');

const LOGIN = 'POST /auth/wechat-login';

function loginOk(value) {
  return { status: 200, body: { token: value, expires_at: '2099-01-01T00:00:00+08:00', user: { kind: 'resident', id: 1 } } };
}

function mockWxLogin() {
  let n = 0;
  return jest.spyOn(wx, 'login').mockImplementation(({ success }) => {
    n += 1;
    setTimeout(() => success({ code: `code-${n}` }), 0);
  });
}

describe('request', () => {
  test('sends the stored token as a bearer header and resolves with the body', async () => {
    signIn('abc');
    const server = fakeServer({ 'GET /me': { status: 200, body: { id: 1 } } });
    await expect(request({ path: '/me' })).resolves.toEqual({ id: 1 });
    expect(server.calls[0].header.Authorization).toBe('Bearer abc');
  });

  test('logs in first when no token is stored', async () => {
    const wxLogin = mockWxLogin();
    const server = fakeServer({ [LOGIN]: loginOk('fresh'), 'GET /me': { status: 200, body: { id: 1 } } });
    await request({ path: '/me' });
    expect(wxLogin).toHaveBeenCalledTimes(1);
    expect(server.callsTo('POST', '/auth/wechat-login')[0].data).toEqual({ code: 'code-1' });
    expect(server.callsTo('GET', '/me')[0].header.Authorization).toBe('Bearer fresh');
    expect(token.get()).toBe('fresh');
  });

  test('an expired stored token is not sent', async () => {
    token.set('old', '2000-01-01T00:00:00+08:00');
    mockWxLogin();
    const server = fakeServer({ [LOGIN]: loginOk('new'), 'GET /me': { status: 200, body: {} } });
    await request({ path: '/me' });
    expect(server.callsTo('GET', '/me').map((c) => c.header.Authorization)).toEqual(['Bearer new']);
  });

  test('fills path templates and encodes query values, dropping empty ones', async () => {
    signIn();
    const server = fakeServer({ 'GET /communities/by-code/A%2FB': { status: 200, body: {} }, 'GET /communities': { status: 200, body: {} } });
    await request({ path: '/communities/by-code/{code}', params: { code: 'A/B' } });
    await request({ path: '/communities', query: { q: '曹杨', page: 2, status: '' } });
    expect(server.calls[1].query).toBe(`q=${encodeURIComponent('曹杨')}&page=2`);
  });

  test('on 401 logs in silently once and retries the request with the new token', async () => {
    signIn('stale');
    const wxLogin = mockWxLogin();
    const server = fakeServer({
      [LOGIN]: loginOk('renewed'),
      'GET /me': (call) => (call.header.Authorization === 'Bearer renewed'
        ? { status: 200, body: { id: 9 } }
        : apiError(401, 'token_expired', '登录已过期')),
    });
    await expect(request({ path: '/me' })).resolves.toEqual({ id: 9 });
    expect(wxLogin).toHaveBeenCalledTimes(1);
    expect(server.callsTo('GET', '/me')).toHaveLength(2);
  });

  test('concurrent 401s share a single re-login', async () => {
    signIn('stale');
    const wxLogin = mockWxLogin();
    const ok = (call) => (call.header.Authorization === 'Bearer renewed'
      ? { status: 200, body: { path: call.path } }
      : apiError(401, 'token_expired', '登录已过期'));
    const server = fakeServer({ [LOGIN]: loginOk('renewed'), 'GET /me': ok, 'GET /memberships': ok, 'GET /communities': ok });
    const results = await Promise.all([
      request({ path: '/me' }),
      request({ path: '/memberships' }),
      request({ path: '/communities' }),
    ]);
    expect(results.map((r) => r.path)).toEqual(['/me', '/memberships', '/communities']);
    expect(wxLogin).toHaveBeenCalledTimes(1);
    expect(server.callsTo('POST', '/auth/wechat-login')).toHaveLength(1);
  });

  test('a 401 that arrives after another request already re-logged in reuses the new token', async () => {
    signIn('stale');
    const wxLogin = mockWxLogin();
    let slowCalls = 0;
    fakeServer({
      [LOGIN]: loginOk('renewed'),
      'GET /me': (call) => (call.header.Authorization === 'Bearer renewed'
        ? { status: 200, body: {} } : apiError(401, 'token_expired', '登录已过期')),
      'GET /memberships': (call) => {
        slowCalls += 1;
        // The first (stale) answer comes back only after /me has finished its re-login.
        return call.header.Authorization === 'Bearer renewed'
          ? { status: 200, body: { ok: true } } : { ...apiError(401, 'token_expired', '登录已过期'), delay: 30 };
      },
    });
    const slow = request({ path: '/memberships' });
    await request({ path: '/me' });
    await expect(slow).resolves.toEqual({ ok: true });
    expect(slowCalls).toBe(2);
    expect(wxLogin).toHaveBeenCalledTimes(1);
  });

  test('a 401 after the re-login is not retried again', async () => {
    signIn('stale');
    const wxLogin = mockWxLogin();
    const server = fakeServer({ [LOGIN]: loginOk('renewed'), 'GET /me': apiError(401, 'token_invalid', '身份验证失败') });
    const err = await request({ path: '/me' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(401);
    expect(err.message).toBe('身份验证失败');
    expect(wxLogin).toHaveBeenCalledTimes(1);
    expect(server.callsTo('GET', '/me')).toHaveLength(2);
  });

  test('a failed re-login rejects with the login error', async () => {
    signIn('stale');
    mockWxLogin();
    fakeServer({ [LOGIN]: apiError(503, 'wechat_unavailable', '微信服务暂时不可用'), 'GET /me': apiError(401, 'token_expired', '登录已过期') });
    await expect(request({ path: '/me' })).rejects.toMatchObject({ status: 503, message: '微信服务暂时不可用' });
  });

  test('wx.login failure becomes an ApiError with a Chinese message', async () => {
    jest.spyOn(wx, 'login').mockImplementation(({ fail }) => setTimeout(() => fail({ errMsg: 'login:fail' }), 0));
    fakeServer({});
    await expect(request({ path: '/me' })).rejects.toMatchObject({ name: 'ApiError', error: 'wx_login_failed', message: '微信登录失败，请稍后重试' });
  });

  test('a network failure rejects with a Chinese fallback message', async () => {
    signIn();
    fakeServer({ 'GET /me': { network: true, errMsg: 'request:fail -2:net::ERR_FAILED' } });
    const err = await request({ path: '/me' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 0, error: 'network_error', message: NETWORK_MESSAGE });
  });

  test('a timeout says so', async () => {
    signIn();
    fakeServer({ 'GET /me': { network: true, errMsg: 'request:fail timeout' } });
    await expect(request({ path: '/me' })).rejects.toMatchObject({ error: 'timeout', message: TIMEOUT_MESSAGE });
  });

  test('a non-2xx rejects with the server error slug, message and details', async () => {
    signIn();
    fakeServer({ 'POST /memberships': apiError(409, 'membership_exists', '您已经有一个待审核或已通过的小区', { membership_id: 3 }) });
    const err = await request({ method: 'POST', path: '/memberships', data: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 409, error: 'membership_exists', message: '您已经有一个待审核或已通过的小区', details: { membership_id: 3 } });
  });

  test('a 429 is shown with the server message and never retried or re-logged in', async () => {
    signIn();
    const wxLogin = mockWxLogin();
    const server = fakeServer({ 'POST /reports': apiError(429, 'rate_limited', '操作太频繁，请 12 分钟后再试', { retry_after: 700 }) });
    const err = await request({ method: 'POST', path: '/reports', data: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 429, error: 'rate_limited', message: '操作太频繁，请 12 分钟后再试', details: { retry_after: 700 } });
    expect(server.callsTo('POST', '/reports')).toHaveLength(1);
    expect(wxLogin).not.toHaveBeenCalled();
  });

  test('a re-login refused with 429 rejects with the rate-limit message', async () => {
    signIn('stale');
    mockWxLogin();
    const server = fakeServer({ [LOGIN]: apiError(429, 'rate_limited', '操作太频繁，请 30 秒后再试', { retry_after: 30 }), 'GET /me': apiError(401, 'token_expired', '登录已过期') });
    await expect(request({ path: '/me' })).rejects.toMatchObject({ status: 429, message: '操作太频繁，请 30 秒后再试' });
    expect(server.callsTo('POST', '/auth/wechat-login')).toHaveLength(1);
    expect(server.callsTo('GET', '/me')).toHaveLength(1);
  });

  test('a non-2xx without the error shape still gets a Chinese message', async () => {
    signIn();
    fakeServer({ 'GET /me': { status: 502, body: '<html>Bad Gateway</html>' } });
    await expect(request({ path: '/me' })).rejects.toMatchObject({ status: 502, error: 'http_502', message: '服务暂时不可用，请稍后重试' });
  });

  test('auth:false sends no token and never logs in', async () => {
    signIn('abc');
    const wxLogin = mockWxLogin();
    const server = fakeServer({ 'POST /auth/dev-login': apiError(401, 'nope', '不行') });
    await expect(request({ method: 'POST', path: '/auth/dev-login', data: {}, auth: false })).rejects.toMatchObject({ status: 401 });
    expect(server.calls[0].header.Authorization).toBeUndefined();
    expect(wxLogin).not.toHaveBeenCalled();
  });

  test('a missing path parameter is a programming error, not a request', () => {
    signIn();
    const server = fakeServer({});
    return expect(request({ path: '/communities/{id}', params: {} })).rejects.toThrow('missing path parameter "id"')
      .then(() => expect(server.calls).toHaveLength(0));
  });
});
