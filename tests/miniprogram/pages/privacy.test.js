const { load, render, textOf, tap, signIn } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');
const token = require('../../../miniprogram/services/token');

// Recorded by tests/api/test_privacy.py: a member who answered a survey and filed a report with a
// photo (me_data), the refusal of a wrong confirmation word and the deletion itself.
const HELD = () => rec.body('me_data');

const pageId = load('pages/privacy/index');

beforeEach(() => signIn());

function answerModal(confirm) {
  return jest.spyOn(wx, 'showModal').mockImplementation((opts) => setTimeout(() => opts.success({ confirm, cancel: !confirm }), 0));
}

async function showPage() {
  const page = render(pageId);
  await page.instance.onLoad();
  return page;
}

test('shows what the server holds, the openid masked, and says answers are anonymous', async () => {
  const server = fakeServer(rec.replay('me_data'));
  const held = HELD();
  const page = await showPage();
  const text = textOf(page);
  expect(server.callsTo('GET', '/me/data')).toHaveLength(1);
  expect(text).toContain(held.profile.openid);
  expect(text).toContain(held.memberships[0].community);
  expect(text).toContain(held.reports[0].description);
  expect(text).toContain(`照片 ${held.reports[0].photos.length} 张`);
  expect(text).toContain(held.survey_participations[0].title);
  expect(text).toContain(held.survey_answers);
  expect(text).toContain('未提供'); // no phone shared
});

test('deleting after confirming sends the confirmation word, forgets the token and says so', async () => {
  const server = fakeServer(rec.replayAll('me_data', 'me_deleted'));
  const modal = answerModal(true);
  const page = await showPage();
  await tap(page, '注销账号');
  expect(modal.mock.calls[0][0].content).toContain('无法恢复');
  const calls = server.callsTo('DELETE', '/me');
  expect(calls).toHaveLength(1);
  expect(calls[0].data).toEqual({ confirm: '注销' });
  expect(token.get()).toBeNull();
  expect(textOf(page)).toContain('账号已注销');
});

test('cancelling the confirmation deletes nothing', async () => {
  const server = fakeServer(rec.replay('me_data'));
  answerModal(false);
  const page = await showPage();
  await tap(page, '注销账号');
  expect(server.callsTo('DELETE', '/me')).toHaveLength(0);
  expect(token.get()).toBe('token-1');
});

test('a refused deletion shows the server\'s message and keeps the data on screen', async () => {
  const refused = rec.body('me_delete_unconfirmed');
  fakeServer(Object.assign(rec.replay('me_data'), { 'DELETE /me': { status: 422, body: refused } }));
  answerModal(true);
  const page = await showPage();
  await tap(page, '注销账号');
  expect(textOf(page)).toContain(refused.message);
  expect(textOf(page)).toContain(HELD().memberships[0].community);
  expect(token.get()).toBe('token-1');
});

test('a load error is shown with a retry', async () => {
  fakeServer({ 'GET /me/data': apiError(403, 'forbidden', '该功能仅限居民使用') });
  const page = await showPage();
  expect(textOf(page)).toContain('该功能仅限居民使用');
});
