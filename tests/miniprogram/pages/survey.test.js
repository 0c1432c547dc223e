const { load, render, textOf, tap, signIn } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');
const subscribe = require('../../../miniprogram/utils/subscribe');

const pageId = load('pages/survey/index');
beforeEach(() => signIn());

async function open(routes) {
  const survey = rec.body('survey_detail');
  const server = fakeServer(Object.assign(rec.replay('survey_detail'), routes));
  const page = render(pageId);
  await page.instance.onLoad({ id: String(survey.id) });
  return { page, server, survey };
}

test('a saved draft resumes at its question with the answers kept', async () => {
  const survey = rec.body('survey_detail');
  wx.setStorageSync(`survey.draft.${survey.id}`, { answers: { q1: 5, q2: 4, q3: 'no' }, index: 3, startedAt: Date.now(), key: 'survey-k1' });
  const { page } = await open();
  // q3 = "no" hides q4: the fourth visible question is q5.
  expect(textOf(page)).toContain(survey.questions[4].text);
  expect(textOf(page)).toContain('第 4 题 / 共 5 题');
  await tap(page, '上一题');
  expect(textOf(page)).toContain(survey.questions[2].text);
});

test('a required question cannot be skipped', async () => {
  const { page, survey } = await open();
  await tap(page, '开始填写');
  await tap(page, '下一题');
  expect(textOf(page)).toContain('这道题需要回答后才能继续');
  expect(textOf(page)).toContain(survey.questions[0].text);
});

test('a failed submission keeps the draft and 重新提交 sends the same Idempotency-Key', async () => {
  const survey = rec.body('survey_detail');
  wx.setStorageSync(`survey.draft.${survey.id}`, { answers: { q1: 5, q2: 4, q3: 'no' }, index: 4, startedAt: Date.now() - 90000, key: 'survey-k2' });
  const submit = rec.recording('survey_submit');
  const { page, server } = await open({
    [`POST /surveys/${survey.id}/responses`]: [apiError(503, 'unavailable', '服务繁忙，请稍后再试'), { status: submit.status, body: submit.body }],
  });
  expect(textOf(page)).toContain(survey.questions[5].text);
  await tap(page, '提交问卷');
  expect(textOf(page)).toContain('服务繁忙，请稍后再试');
  expect(wx.getStorageSync(`survey.draft.${survey.id}`).answers).toEqual({ q1: 5, q2: 4, q3: 'no' });
  await tap(page, '重新提交');
  const keys = server.callsTo('POST', `/surveys/${survey.id}/responses`).map((c) => c.header['Idempotency-Key']);
  expect(keys).toEqual(['survey-k2', 'survey-k2']);
  // The server times the answer: the phone sends back the token it got with the survey.
  expect(server.calls[1].data.answer_token).toBe(survey.answer_token);
  expect(server.calls[1].data.duration_seconds).toBeUndefined();
  expect(textOf(page)).toContain(submit.body.message);
});

test('a draft keeps the first answer token, so reopening the app does not restart the clock', async () => {
  const survey = rec.body('survey_detail');
  wx.setStorageSync(`survey.draft.${survey.id}`, { answers: { q1: 5, q2: 4, q3: 'no' }, index: 4, startedAt: 1, key: 'k3', answerToken: 'first-served' });
  const { page, server } = await open(rec.replay('survey_submit'));
  await tap(page, '提交问卷');
  expect(server.callsTo('POST', `/surveys/${survey.id}/responses`)[0].data.answer_token).toBe('first-served');
});

test('a too-fast answer is refused kindly and the draft can be sent again', async () => {
  const survey = rec.body('survey_detail');
  wx.setStorageSync(`survey.draft.${survey.id}`, { answers: { q1: 5, q2: 4, q3: 'no' }, index: 4, startedAt: 1, key: 'k4' });
  const submit = rec.recording('survey_submit');
  const { page } = await open({
    [`POST /surveys/${survey.id}/responses`]: [apiError(422, 'answered_too_fast', '您这次作答比较快，请再看一遍题目和答案，确认无误后重新提交'), { status: submit.status, body: submit.body }],
  });
  await tap(page, '提交问卷');
  expect(textOf(page)).toContain('请再看一遍题目和答案');
  await tap(page, '重新提交');
  expect(textOf(page)).toContain(submit.body.message);
});

test('subscribe messages are asked for the templates the server published when submitting', async () => {
  const templates = rec.body('wechat_templates');
  fakeServer(rec.replay('wechat_templates'));
  await subscribe.refresh();
  const ask = jest.fn(({ success }) => success({ [templates.survey_opened]: 'accept' }));
  wx.requestSubscribeMessage = ask;
  const survey = rec.body('survey_detail');
  wx.setStorageSync(`survey.draft.${survey.id}`, { answers: { q1: 5, q2: 4, q3: 'no' }, index: 4, startedAt: Date.now(), key: 'k' });
  const { page } = await open(rec.replay('survey_submit'));
  await tap(page, '提交问卷');
  expect(ask).toHaveBeenCalledWith(expect.objectContaining({ tmplIds: [templates.survey_opened, templates.report_status] }));
  delete wx.requestSubscribeMessage;
});

test('an answered survey says so; a closed one offers its results', async () => {
  const survey = rec.body('survey_detail');
  const { page } = await open({ [`GET /surveys/${survey.id}`]: { status: 200, body: Object.assign({}, survey, { answered: true }) } });
  expect(textOf(page)).toContain('已经填写过这份问卷');
  const closed = Object.assign({}, survey, { accepting: false, status: 'closed' });
  fakeServer({ [`GET /surveys/${survey.id}`]: { status: 200, body: closed } });
  const redirect = jest.spyOn(wx, 'redirectTo');
  const page2 = render(pageId);
  await page2.instance.onLoad({ id: String(survey.id) });
  await tap(page2, '查看结果');
  expect(redirect).toHaveBeenCalledWith(expect.objectContaining({ url: `/pages/survey-results/index?id=${survey.id}` }));
});

async function openAs(body) {
  fakeServer({ [`GET /surveys/${body.id}`]: { status: 200, body } });
  const page = render(pageId);
  await page.instance.onLoad({ id: String(body.id) });
  return page;
}

test('a household answered on paper is told so, not "you answered" (recorded)', async () => {
  const paper = rec.body('survey_detail_paper');
  expect(paper).toMatchObject({ answered: true, answered_by: 'paper', answer_token: null });
  const page = await openAs(paper);
  expect(textOf(page)).toContain('已由居委会代填（纸质问卷）');
  expect(textOf(page)).not.toContain('您已经填写过');
  expect(textOf(page)).not.toContain('开始填写');
});

test('another member of the household answered: 家庭成员 (recorded); self: 您已经填写过', async () => {
  const household = rec.body('survey_detail_household');
  expect(household.answered_by).toBe('household');
  const page = await openAs(household);
  expect(textOf(page)).toContain('您的家庭成员已经为本户填写了这份问卷');
  expect(textOf(page)).not.toContain('您已经填写过');
  const mine = Object.assign({}, household, { answered_by: 'self' }); // HAND-MODIFIED: the answerer's view
  expect(textOf(await openAs(mine))).toContain('您已经填写过这份问卷');
});

test('a server error loading the survey is shown', async () => {
  const survey = rec.body('survey_detail');
  const { page } = await open({ [`GET /surveys/${survey.id}`]: apiError(404, 'not_found', '未找到该问卷') });
  expect(textOf(page)).toContain('未找到该问卷');
});
