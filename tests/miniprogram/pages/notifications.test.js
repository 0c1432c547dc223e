const { load, render, textOf, tap, tapText, signIn } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');
const fx = require('../fixtures');

const pageId = load('pages/notifications/index');
beforeEach(() => signIn());

const unreadTags = (page) => page.instance.data.items.filter((n) => n.unread).length;

test('lists the recorded messages; opening one marks it read and goes to its page', async () => {
  const listed = rec.body('notifications_report');
  const newest = listed.items[0];
  const server = fakeServer(rec.replayAll('notifications_report', 'notification_read_report'));
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = render(pageId);
  await page.instance.onLoad();
  expect(server.callsTo('GET', '/notifications')[0].query).toBe(rec.query('notifications_report'));
  expect(textOf(page)).toContain(newest.title);
  expect(textOf(page)).toContain(newest.body);
  expect(unreadTags(page)).toBe(listed.total);
  await tapText(page, 'notifications__item', newest.body);
  expect(server.callsTo('POST', `/notifications/${newest.id}/read`)).toHaveLength(1);
  expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: `/${newest.page}` }));
  expect(unreadTags(page)).toBe(listed.total - 1);
});

test('a recorded message with no page is marked read and opens nothing', async () => {
  const read = rec.body('notification_read');
  const listed = rec.body('notifications_list');
  const server = fakeServer(rec.replayAll('notifications_list', 'notification_read'));
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = render(pageId);
  await page.instance.onLoad();
  const item = listed.items.find((n) => n.id === read.id);
  expect(item.page).toBe('');
  await tapText(page, 'notifications__item', item.title);
  expect(server.callsTo('POST', `/notifications/${read.id}/read`)).toHaveLength(1);
  expect(navigate).not.toHaveBeenCalled();
});

test('全部标为已读 marks everything read', async () => {
  const server = fakeServer(rec.replayAll('notifications_report', 'notifications_read_all'));
  const page = render(pageId);
  await page.instance.onLoad();
  await tap(page, '全部标为已读');
  expect(server.callsTo('POST', '/notifications/read-all')).toHaveLength(1);
  expect(textOf(page)).not.toContain('未读');
});

test('empty and error states', async () => {
  fakeServer({ 'GET /notifications': { status: 200, body: fx.page([]) } }); // HAND-MODIFIED: an empty page
  const page = render(pageId);
  await page.instance.onLoad();
  expect(textOf(page)).toContain('还没有消息');
  fakeServer({ 'GET /notifications': apiError(403, 'residents_only', '仅居民可以查看消息') });
  const failed = render(pageId);
  await failed.instance.onLoad();
  expect(textOf(failed)).toContain('仅居民可以查看消息');
});

test('each message says what became of its WeChat push, as the server words it', async () => {
  const failed = rec.body('notifications_push_failed').items[0];
  const refused = rec.body('notifications_not_subscribed').items[0];
  expect(failed.delivery).toBe('failed');
  expect(refused.delivery).toBe('not_subscribed');
  fakeServer({ 'GET /notifications': { status: 200, body: fx.page([failed, Object.assign({}, refused, { id: refused.id + 1 })]) } }); // HAND-MODIFIED: two recorded messages in one page
  const page = render(pageId);
  await page.instance.onLoad();
  expect(textOf(page)).toContain(failed.delivery_label);
  expect(textOf(page)).toContain(refused.delivery_label);
  expect(page.instance.data.items.map((n) => n.pushed)).toEqual([false, false]);
});
