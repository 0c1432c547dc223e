const { load, render, textOf, inner, tapButton, signIn } = require('../helpers/render');
const { fakeServer, apiError, flush } = require('../helpers/server');
const fx = require('../fixtures');

const pageId = load('pages/home/index');

async function showHome() {
  const page = render(pageId);
  await page.instance.onShow();
  return page;
}

beforeEach(() => signIn());

test('shows a spinner while /me is loading', async () => {
  fakeServer({ 'GET /me': { status: 200, body: fx.me([]), delay: 50 } });
  const page = render(pageId);
  const done = page.instance.onShow();
  await flush(1);
  expect(page.querySelector('.state--loading')).toBeTruthy();
  await done;
  expect(page.querySelector('.state--loading')).toBeFalsy();
});

test('shows the bound community and 审核中 for a pending membership', async () => {
  fakeServer({ 'GET /me': { status: 200, body: fx.me([fx.membership({ status: 'pending' })]) } });
  const page = await showHome();
  const text = textOf(page);
  expect(text).toContain('曹杨新村第一小区');
  expect(text).toContain('12号楼 2单元 301室');
  expect(text).toContain('审核中');
  // The tag really rendered (an unresolved npm path would leave an empty host element).
  expect(inner(page, '.home__status', '.t-tag__text')).toBeTruthy();
});

test('an approved membership wins over an older rejected one and reads 已加入', async () => {
  fakeServer({
    'GET /me': {
      status: 200,
      body: fx.me([
        fx.membership({ id: 1, status: 'rejected', reason: '地址不符', applied_at: '2025-04-01T00:00:00+08:00' }),
        fx.membership({ id: 2, status: 'approved', applied_at: '2025-01-01T00:00:00+08:00' }),
      ]),
    },
  });
  const page = await showHome();
  expect(textOf(page)).toContain('已加入');
  expect(textOf(page)).not.toContain('地址不符');
});

test('a rejected membership shows the reason and offers to apply again', async () => {
  fakeServer({ 'GET /me': { status: 200, body: fx.me([fx.membership({ status: 'rejected', reason: '房号不存在' })]) } });
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = await showHome();
  expect(textOf(page)).toContain('未通过（房号不存在）');
  await tapButton(page, '.home__reapply');
  expect(navigate).toHaveBeenCalledWith({ url: '/pages/bind/index' });
});

test('without a live membership it prompts to bind, and the button opens the bind page', async () => {
  fakeServer({ 'GET /me': { status: 200, body: fx.me([fx.membership({ status: 'left' })]) } });
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = await showHome();
  expect(textOf(page)).toContain('还没有绑定小区');
  await tapButton(page, '.home__bind');
  expect(navigate).toHaveBeenCalledWith({ url: '/pages/bind/index' });
});

test('a server error is shown with its message, and 重试 loads again', async () => {
  const server = fakeServer({
    'GET /me': [apiError(503, 'unavailable', '系统维护中，请稍后再试'), { status: 200, body: fx.me([]) }],
  });
  const page = await showHome();
  expect(textOf(page)).toContain('系统维护中，请稍后再试');
  await tapButton(page, 'state-view >>> .state__action');
  expect(server.callsTo('GET', '/me')).toHaveLength(2);
  expect(textOf(page)).toContain('还没有绑定小区');
});

test('large-text mode puts the class on the page root', async () => {
  wx.setStorageSync('settings.largeText', true);
  fakeServer({ 'GET /me': { status: 200, body: fx.me([]) } });
  const page = await showHome();
  expect(page.querySelector('.page--large')).toBeTruthy();
});
