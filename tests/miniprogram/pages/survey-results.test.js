const { load, render, textOf, tap, signIn } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');

const pageId = load('pages/survey-results/index');
beforeEach(() => signIn());

test('shows the recorded public results: overall rate, areas, and suppressed figures in words', async () => {
  const results = rec.body('survey_results');
  fakeServer(rec.replay('survey_results'));
  const page = render(pageId);
  await page.instance.onLoad({ id: String(results.survey_id) });
  const text = textOf(page);
  expect(text).toContain(`${(results.overall.rate * 100).toFixed(1)}%`);
  expect(text).toContain(results.areas.find((a) => !a.suppressed).name);
  expect(text).toContain(results.questions[0].text);
  expect(text).toContain('作答不足 5 户，暂不公布'); // q4 had too few answers
  expect(text).toContain('口径说明');
});

test('an error is shown and 重试 loads again', async () => {
  const results = rec.body('survey_results');
  const server = fakeServer({ [rec.routeKey('survey_results')]: [apiError(409, 'survey_running', '问卷结束后才能查看结果'), { status: 200, body: results }] });
  const page = render(pageId);
  await page.instance.onLoad({ id: String(results.survey_id) });
  expect(textOf(page)).toContain('问卷结束后才能查看结果');
  await tap(page, '重试');
  expect(server.calls).toHaveLength(2);
  expect(textOf(page)).toContain('总体满意率');
});
