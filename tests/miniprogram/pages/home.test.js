const { load, render, textOf, has, tap, signIn, flush, tapText, withText } = require('../helpers/render');
const rec = require('../helpers/recordings');
const { fakeServer, apiError } = require('../helpers/server');
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
  expect(has(page, 't-loading')).toBe(true);
  expect(textOf(page)).toContain('正在加载');
  await done;
  expect(has(page, 't-loading')).toBe(false);
});

test('shows the bound community and 审核中 for the recorded pending membership', async () => {
  const applied = rec.body('membership_apply'); // building "1号楼" as picked from the list
  fakeServer({ 'GET /me': { status: 200, body: fx.me([applied]) } });
  const page = await showHome();
  const text = textOf(page);
  expect(text).toContain(applied.community.name);
  expect(text).toContain('1号楼 1单元 101室');
  expect(text).not.toContain('号楼号楼');
  expect(text).toContain('审核中');
  expect(text).toContain('居委会审核通过后');
  // The tag really rendered (an unresolved npm path would leave an empty host element).
  expect(has(page, 't-tag--warning')).toBe(true);
});

function memberRoutes(extra = {}) {
  const status = rec.body('community_status');
  const me = rec.body('me_resident');
  expect(me.memberships[0].community.id).toBe(status.community.id); // both recorded in community A
  return Object.assign({}, rec.replayAll('me_resident', 'reports_board', 'community_status', 'surveys_list'), extra);
}

test('a member sees the recorded status card, open surveys and the board of resolved reports', async () => {
  const status = rec.body('community_status');
  const open = rec.body('surveys_list');
  const server = fakeServer(memberRoutes());
  const page = await showHome();
  const text = textOf(page);
  expect(text).toContain(status.community.name);
  expect(text).toContain(status.title.held ? '已获评上海市文明小区' : '正在创建上海市文明小区');
  expect(text).toContain(`${status.cycle.name} · 第 ${status.cycle.year} 年`);
  expect(text).toContain(status.stage.label);
  expect(text).toContain('群众满意度');
  expect(text).toContain('群众监督');
  expect(text).toContain('暂无上期数据'); // the recorded trend is "unknown"
  expect(text).toContain(open.items[0].title);
  const board = rec.body('reports_board').items[0];
  expect(text).toContain(board.description);
  expect(text).toContain(`处理结果：${board.reply}`);
  expect(server.callsTo('GET', '/surveys')[0].query).toContain('status=open');
});

test('an open survey the household answered on paper reads 已由居委会代填（纸质问卷） (recorded)', async () => {
  const paper = rec.body('surveys_list_paper');
  fakeServer(memberRoutes({ 'GET /surveys': { status: 200, body: paper } }));
  const page = await showHome();
  const cell = withText(page, 't-cell', paper.items[0].title);
  expect(cell.textContent).toContain('已由居委会代填（纸质问卷）');
  expect(cell.textContent).not.toContain('去填写');
});

test('an approved membership wins over an older rejected one', async () => {
  const routes = memberRoutes();
  const approved = routes['GET /me'].body.memberships[0];
  routes['GET /me'].body.memberships = [
    // HAND-MODIFIED: an older rejection beside the recorded approval.
    fx.membership({ id: 99, status: 'rejected', reason: '地址不符', applied_at: '2025-04-01T00:00:00+08:00' }), approved,
  ];
  fakeServer(routes);
  const page = await showHome();
  expect(textOf(page)).toContain('群众满意度');
  expect(textOf(page)).not.toContain('地址不符');
});

test('figures with points and a trend read as points and direction', async () => {
  const status = rec.body('community_status');
  status.score.satisfaction = Object.assign(status.score.satisfaction, { points: 36.5, trend: { direction: 'up', change: 1.5, since: null } });
  fakeServer(memberRoutes({ [rec.routeKey('community_status')]: { status: 200, body: status } }));
  const page = await showHome();
  expect(textOf(page)).toContain('36.5 / 40 分');
  expect(textOf(page)).toContain('↑ 较上期上升 1.5 分');
});

test('the report button opens 随手拍 and a survey opens the answering page', async () => {
  fakeServer(memberRoutes());
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = await showHome();
  await tap(page, '随手拍 · 反映问题');
  expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report/index' }));
  await tapText(page, 't-cell', rec.body('surveys_list').items[0].title);
  expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/pages/survey/index?id=${rec.body('surveys_list').items[0].id}` }));
});

test('an error loading the status is shown in words', async () => {
  fakeServer(memberRoutes({ [rec.routeKey('community_status')]: apiError(404, 'not_found', '未找到该小区') }));
  const page = await showHome();
  expect(textOf(page)).toContain('未找到该小区');
});

test('the recorded rejection shows the reason and offers to apply again', async () => {
  const rejected = rec.body('membership_reject');
  delete rejected.household_match; // GET /me lists MembershipOut, without the staff-only match
  fakeServer({ 'GET /me': { status: 200, body: fx.me([rejected]) } });
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = await showHome();
  expect(textOf(page)).toContain(`未通过（${rejected.reason}）`);
  await tap(page, '重新申请绑定');
  expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/bind/index' }));
});

test('without a live membership it prompts to bind, and the button opens the bind page', async () => {
  fakeServer({ 'GET /me': { status: 200, body: fx.me([fx.membership({ status: 'left' })]) } }); // HAND-MODIFIED status
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = await showHome();
  expect(textOf(page)).toContain('还没有绑定小区');
  await tap(page, '绑定我的小区');
  expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/bind/index' }));
});

test('a server error is shown with its message, and 重试 loads again', async () => {
  const server = fakeServer({
    'GET /me': [apiError(503, 'unavailable', '系统维护中，请稍后再试'), { status: 200, body: fx.me([]) }],
  });
  const page = await showHome();
  expect(textOf(page)).toContain('系统维护中，请稍后再试');
  await tap(page, '重试');
  expect(server.callsTo('GET', '/me')).toHaveLength(2);
  expect(textOf(page)).not.toContain('系统维护中');
  expect(textOf(page)).toContain('还没有绑定小区');
});

test('large-text mode puts the class on the page root', async () => {
  fakeServer({ 'GET /me': { status: 200, body: fx.me([]) } });
  const page = await showHome();
  expect(has(page, 'page--large')).toBe(false);
  wx.setStorageSync('settings.largeText', true);
  await page.instance.onShow();
  expect(has(page, 'page--large')).toBe(true);
});
