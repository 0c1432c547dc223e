const { load, render, textOf, tap, tapText, signIn } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');
const fx = require('../fixtures');

const pageId = load('pages/reports/index');
beforeEach(() => signIn());

const UNREAD = { 'GET /notifications/unread-count': { status: 200, body: { unread: 2 } } };

test('lists my recorded reports with their status; tapping opens the detail', async () => {
  const mine = rec.body('reports_mine');
  fakeServer(Object.assign({ 'GET /reports': { status: 200, body: mine } }, UNREAD));
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = render(pageId);
  await page.instance.onShow();
  expect(textOf(page)).toContain(mine.items[0].description);
  expect(textOf(page)).toContain(mine.items[0].status_text);
  expect(textOf(page)).toContain('2 条未读');
  await tapText(page, 'reports__item', mine.items[0].description);
  expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/pages/report-detail/index?id=${mine.items[0].id}` }));
});

test('no reports yet offers 随手拍', async () => {
  fakeServer(Object.assign({ 'GET /reports': { status: 200, body: fx.page([]) } }, UNREAD));
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = render(pageId);
  await page.instance.onShow();
  expect(textOf(page)).toContain('您还没有反映过问题');
  await tap(page, '随手拍');
  expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/report/index' }));
});

test('a server error is shown', async () => {
  fakeServer(Object.assign({ 'GET /reports': apiError(429, 'rate_limited', '操作太频繁，请稍后再试') }, UNREAD));
  const page = render(pageId);
  await page.instance.onShow();
  expect(textOf(page)).toContain('操作太频繁，请稍后再试');
});
