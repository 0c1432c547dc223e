const { load, render, textOf, all, has, dispatch, tap, tapText, signIn, flush } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');
const fx = require('../fixtures');

// The recorded approved member (GET /me); leaving is not recorded, so its answer and the /me after
// it are HAND-MODIFIED copies of the recorded membership with status "left".
const ME = () => rec.body('me_resident');
const M = () => ME().memberships[0];

const pageId = load('pages/mine/index');

beforeEach(() => signIn());

async function showMine() {
  const page = render(pageId);
  await page.instance.onShow();
  return page;
}

function answerModal(confirm) {
  return jest.spyOn(wx, 'showModal').mockImplementation((opts) => setTimeout(() => opts.success({ confirm, cancel: !confirm }), 0));
}

test('shows the resident and the approved membership', async () => {
  fakeServer(rec.replay('me_resident'));
  const page = await showMine();
  const text = textOf(page);
  expect(text).toContain(`用户编号：${ME().id}`);
  expect(text).toContain(M().community.name);
  expect(text).toContain('1号楼 1单元 101室');
  expect(text).toContain('已加入');
  expect(text).toContain('退出小区');
});

test('leaving after confirming calls the server and reloads', async () => {
  const server = fakeServer({
    'GET /me': [
      { status: 200, body: ME() },
      { status: 200, body: fx.me([Object.assign(M(), { status: 'left' })]) },
    ],
    [`POST /memberships/${M().id}/leave`]: { status: 200, body: Object.assign(M(), { status: 'left' }) },
  });
  const modal = answerModal(true);
  const page = await showMine();
  await tap(page, '退出小区');
  expect(modal.mock.calls[0][0].content).toContain(M().community.name);
  expect(server.callsTo('POST', `/memberships/${M().id}/leave`)).toHaveLength(1);
  expect(textOf(page)).toContain('尚未绑定小区');
});

test('cancelling the confirmation sends nothing', async () => {
  const server = fakeServer({ 'GET /me': { status: 200, body: fx.me([rec.body('membership_apply')]) } });
  answerModal(false);
  const page = await showMine();
  await tap(page, '撤回申请');
  expect(server.calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  expect(textOf(page)).toContain('审核中');
});

test('a refused leave shows the server message', async () => {
  fakeServer({
    ...rec.replay('me_resident'),
    [`POST /memberships/${M().id}/leave`]: apiError(409, 'invalid_state', '该申请已处理，不能撤回'),
  });
  answerModal(true);
  const page = await showMine();
  await tap(page, '退出小区');
  expect(textOf(page)).toContain('该申请已处理，不能撤回');
});

test('a load error shows the server message and keeps the settings usable', async () => {
  fakeServer({ 'GET /me': apiError(500, 'internal', '服务器开小差了') });
  const page = await showMine();
  expect(textOf(page)).toContain('服务器开小差了');
  expect(textOf(page)).toContain('大字模式');
});

test('without a membership the 尚未绑定小区 row opens the bind page', async () => {
  fakeServer({ 'GET /me': { status: 200, body: fx.me([]) } });
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = await showMine();
  const row = all(page, 't-cell').find((el) => el.textContent.includes('尚未绑定小区'));
  dispatch(row, 'tap');
  await flush();
  expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/bind/index' }));
});

test('the large-text switch is stored and applied at once', async () => {
  fakeServer({ 'GET /me': { status: 200, body: fx.me([]) } });
  const page = await showMine();
  expect(has(page, 'page--large')).toBe(false);
  dispatch(all(page, 't-switch__body')[0], 'tap');
  await flush();
  expect(wx.getStorageSync('settings.largeText')).toBe(true);
  expect(has(page, 'page--large')).toBe(true);
});

test('我的消息 opens the inbox; the staff entry opens the staff subpackage and says when signed in', async () => {
  fakeServer({ 'GET /me': { status: 200, body: fx.me([]) } });
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = render(pageId);
  await page.instance.onShow();
  expect(textOf(page)).toContain('居委会工作人员登录');
  await tapText(page, 't-cell', '我的消息');
  expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/notifications/index' }));
  await tapText(page, 't-cell', '居委会工作人员登录');
  expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/staff/index/index' }));
  wx.setStorageSync('auth.staff-session', { token: 'staff' });
  await page.instance.onShow();
  expect(textOf(page)).toContain('工作台（居委会）');
});

test('我的数据与注销 opens the privacy page', async () => {
  fakeServer(rec.replay('me_resident'));
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = await showMine();
  await tapText(page, 't-cell', '我的数据与注销');
  expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/privacy/index' }));
});
