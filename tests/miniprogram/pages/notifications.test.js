const { load, render, textOf, tap, tapText, signIn } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const fx = require('../fixtures');

const pageId = load('pages/notifications/index');
beforeEach(() => signIn());

test('lists messages; opening one marks it read and goes to its page', async () => {
  const server = fakeServer({
    'GET /notifications': { status: 200, body: fx.page([fx.notification()]) },
    'POST /notifications/9/read': { status: 200, body: fx.notification({ read_at: '2026-11-29T11:00:00+08:00' }) },
  });
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = render(pageId);
  await page.instance.onLoad();
  expect(textOf(page)).toContain('您反映的问题有新进展');
  expect(textOf(page)).toContain('未读');
  await tapText(page, 'notifications__item', '您反映的问题有新进展');
  expect(server.callsTo('POST', '/notifications/9/read')).toHaveLength(1);
  expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/report-detail/index?id=1' }));
  expect(textOf(page)).not.toContain('未读');
});

test('全部标为已读 marks everything read', async () => {
  const server = fakeServer({
    'GET /notifications': { status: 200, body: fx.page([fx.notification(), fx.notification({ id: 10, title: '新问卷' })]) },
    'POST /notifications/read-all': { status: 200, body: { updated: 2 } },
  });
  const page = render(pageId);
  await page.instance.onLoad();
  await tap(page, '全部标为已读');
  expect(server.callsTo('POST', '/notifications/read-all')).toHaveLength(1);
  expect(textOf(page)).not.toContain('未读');
});

test('empty and error states', async () => {
  fakeServer({ 'GET /notifications': { status: 200, body: fx.page([]) } });
  const page = render(pageId);
  await page.instance.onLoad();
  expect(textOf(page)).toContain('还没有消息');
  fakeServer({ 'GET /notifications': apiError(403, 'residents_only', '仅居民可以查看消息') });
  const failed = render(pageId);
  await failed.instance.onLoad();
  expect(textOf(failed)).toContain('仅居民可以查看消息');
});
