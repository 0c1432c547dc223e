const { request, upload, absoluteUrl, ApiError } = require('../../../miniprogram/services/request');
const token = require('../../../miniprogram/services/token');
const { fakeServer, apiError } = require('../helpers/server');
const { signIn } = require('../helpers/render');
const rec = require('../helpers/recordings');

function fakeUpload(...answers) {
  let n = 0;
  return jest.spyOn(wx, 'uploadFile').mockImplementation((o) => {
    const a = answers[Math.min(n++, answers.length - 1)];
    const listeners = [];
    setTimeout(() => {
      listeners.forEach((fn) => fn({ progress: 100 }));
      if (a.network) o.fail({ errMsg: a.errMsg });
      else o.success({ statusCode: a.status, data: typeof a.body === 'string' ? a.body : JSON.stringify(a.body) });
    }, 0);
    return { onProgressUpdate: (fn) => listeners.push(fn) };
  });
}

describe('upload', () => {
  test('posts the file with the token, reports progress and resolves with the recorded body', async () => {
    signIn('abc');
    const recorded = rec.recording('upload');
    const spy = fakeUpload({ status: recorded.status, body: recorded.body });
    const progress = jest.fn();
    await expect(upload({ path: '/uploads', filePath: 'x.jpg', onProgress: progress })).resolves.toEqual(recorded.body);
    expect(spy.mock.calls[0][0]).toMatchObject({ url: 'http://127.0.0.1:5000/api/v1/uploads', name: 'file', header: { Authorization: 'Bearer abc' } });
    expect(progress).toHaveBeenCalledWith(100);
  });

  test('a 401 logs in again once and retries the upload', async () => {
    signIn('stale');
    jest.spyOn(wx, 'login').mockImplementation(({ success }) => setTimeout(() => success({ code: 'c' }), 0));
    fakeServer({ 'POST /auth/wechat-login': { status: 200, body: { token: 'fresh', expires_at: null, user: { kind: 'resident', id: 1 } } } });
    const spy = fakeUpload(apiError(401, 'token_expired', '登录已过期'), { status: 201, body: { id: 3 } });
    await expect(upload({ path: '/uploads', filePath: 'x.jpg' })).resolves.toEqual({ id: 3 });
    expect(spy.mock.calls.map((c) => c[0].header.Authorization)).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  test('a 413 carries the server message; a network failure the Chinese fallback', async () => {
    signIn();
    fakeUpload(apiError(413, 'too_large', '图片太大，请压缩后重试'), { network: true, errMsg: 'uploadFile:fail' });
    await expect(upload({ path: '/uploads', filePath: 'x.jpg' })).rejects.toMatchObject({ status: 413, message: '图片太大，请压缩后重试' });
    await expect(upload({ path: '/uploads', filePath: 'x.jpg' })).rejects.toMatchObject({ status: 0, error: 'network_error' });
  });
});

describe('staff token', () => {
  test('staff calls carry the staff token, never the resident one, and never log in with WeChat', async () => {
    signIn('resident');
    token.staff.set('staff', null);
    const login = jest.spyOn(wx, 'login');
    const server = fakeServer({ 'GET /me': { status: 200, body: {} } });
    await request({ path: '/me', as: 'staff' });
    expect(server.calls[0].header.Authorization).toBe('Bearer staff');
    expect(login).not.toHaveBeenCalled();
  });

  test('without a staff token nothing is sent', async () => {
    const server = fakeServer({});
    const err = await request({ path: '/me', as: 'staff' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, error: 'staff_login_required', message: '请先登录工作人员账号' });
    expect(server.calls).toHaveLength(0);
  });

  test('a 401 ends the staff session (it needs the password) and leaves the resident one', async () => {
    signIn('resident');
    token.staff.set('staff', null);
    fakeServer({ 'GET /reports': apiError(401, 'token_expired', '登录已过期') });
    await expect(request({ path: '/reports', as: 'staff' })).rejects.toMatchObject({ status: 401, message: '工作人员登录已失效，请重新登录' });
    expect(token.staff.get()).toBeNull();
    expect(token.get()).toBe('resident');
  });
});

test('absoluteUrl turns the API\'s relative photo links into links on the API host', () => {
  expect(absoluteUrl('/api/v1/uploads/1/file?t=x')).toBe('http://127.0.0.1:5000/api/v1/uploads/1/file?t=x');
  expect(absoluteUrl('https://cdn.example/x.jpg')).toBe('https://cdn.example/x.jpg');
  expect(absoluteUrl(null)).toBe('');
});
