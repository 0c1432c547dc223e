const { load, render, textOf, tapText, withText, signIn } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');
const fx = require('../fixtures');

const pageId = load('pages/surveys/index');
beforeEach(() => signIn());

function routes(ended = rec.body('surveys_ended')) {
  return Object.assign({
    'GET /surveys?status=open&page=1&per_page=20': { status: 200, body: rec.body('surveys_list') },
  }, ended ? rec.replay('surveys_ended', { withQuery: true }) : {
    [rec.routeKey('surveys_ended', { withQuery: true })]: { status: 200, body: fx.page([]) }, // HAND-MODIFIED: none ended
  });
}

test('lists the recorded open and ended surveys; tapping opens answering or results', async () => {
  const open = rec.body('surveys_list').items[0];
  const ended = rec.body('surveys_ended').items[0];
  fakeServer(routes());
  const navigate = jest.spyOn(wx, 'navigateTo');
  const page = render(pageId);
  await page.instance.onShow();
  expect(textOf(page)).toContain(open.title);
  expect(textOf(page)).toContain('去填写');
  expect(textOf(page)).toContain(ended.title);
  await tapText(page, 't-cell', open.title);
  expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/pages/survey/index?id=${open.id}` }));
  await tapText(page, 't-cell', ended.title);
  expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ url: `/pages/survey-results/index?id=${ended.id}` }));
});

test('a draft in progress reads 继续填写', async () => {
  const open = rec.body('surveys_list').items[0];
  wx.setStorageSync(`survey.draft.${open.id}`, { answers: { q1: 5 }, index: 1, startedAt: 1, key: 'k' });
  fakeServer(routes(null));
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

test('a household answered on paper reads 已由居委会代填（纸质问卷）, not 已填写 (recorded)', async () => {
  const paper = rec.body('surveys_list_paper');
  expect(paper.items[0]).toMatchObject({ answered: true, answered_by: 'paper' });
  fakeServer(Object.assign(routes(null), {
    'GET /surveys?status=open&page=1&per_page=20': { status: 200, body: paper },
  }));
  const page = render(pageId);
  await page.instance.onShow();
  expect(textOf(page)).toContain(paper.items[0].title);
  expect(textOf(page)).toContain('已由居委会代填（纸质问卷）');
  expect(textOf(page)).not.toContain('去填写');
});

test('another member\'s answer reads 家庭成员已填写; an older server\'s bare answered reads 已填写', async () => {
  const open = rec.body('surveys_list');
  const household = Object.assign({}, open.items[0], { answered: true, answered_by: 'household' }); // HAND-MODIFIED
  const bare = Object.assign({}, open.items[0], { id: open.items[0].id + 1, title: '旧版问卷', answered: true }); // HAND-MODIFIED
  delete bare.answered_by;
  fakeServer(Object.assign(routes(null), {
    'GET /surveys?status=open&page=1&per_page=20': { status: 200, body: Object.assign({}, open, { items: [household, bare] }) },
  }));
  const page = render(pageId);
  await page.instance.onShow();
  expect(withText(page, 't-cell', household.title).textContent).toContain('家庭成员已填写');
  const old = withText(page, 't-cell', '旧版问卷').textContent;
  expect(old).toContain('已填写');
  expect(old).not.toContain('家庭成员');
});
