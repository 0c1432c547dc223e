const { load, render, textOf, tapText, signIn } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');
const fx = require('../fixtures');

const pageId = load('pages/surveys/index');
beforeEach(() => signIn());

function routes(ended = []) {
  return {
    'GET /surveys?status=open&page=1&per_page=20': { status: 200, body: rec.body('surveys_list') },
    'GET /surveys?status=ended&page=1&per_page=20': { status: 200, body: fx.page(ended) },
  };
}

test('lists the recorded open survey and ended ones; tapping opens the answering page', async () => {
  const open = rec.body('surveys_list').items[0];
  const ended = Object.assign({}, open, { id: 77, title: '2025年居民满意度调查', status: 'closed', accepting: false, answered: true });
  fakeServer(routes([ended]));
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = render(pageId);
  await page.instance.onShow();
  expect(textOf(page)).toContain(open.title);
  expect(textOf(page)).toContain('去填写');
  expect(textOf(page)).toContain('2025年居民满意度调查');
  await tapText(page, 't-cell', open.title);
  expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/pages/survey/index?id=${open.id}` }));
  await tapText(page, 't-cell', '2025年居民满意度调查');
  expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/survey-results/index?id=77' }));
});

test('a draft in progress reads 继续填写', async () => {
  const open = rec.body('surveys_list').items[0];
  wx.setStorageSync(`survey.draft.${open.id}`, { answers: { q1: 5 }, index: 1, startedAt: 1, key: 'k' });
  fakeServer(routes());
  const page = render(pageId);
  await page.instance.onShow();
  expect(textOf(page)).toContain('继续填写');
});

test('nothing to answer says so; a server error is shown', async () => {
  fakeServer({ 'GET /surveys': { status: 200, body: fx.page([]) } });
  const page = render(pageId);
  await page.instance.onShow();
  expect(textOf(page)).toContain('暂时没有问卷');
  fakeServer({ 'GET /surveys': apiError(403, 'not_member', '请先加入小区') });
  const failed = render(pageId);
  await failed.instance.onShow();
  expect(textOf(failed)).toContain('请先加入小区');
});
