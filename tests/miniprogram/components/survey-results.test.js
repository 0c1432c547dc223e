const { load, render, textOf } = require('../helpers/render');
const rec = require('../helpers/recordings');

const id = load('components/survey-results/index');

test('renders the recorded results: overall, areas with answers, per-question shares', () => {
  const results = rec.body('survey_results');
  const comp = render(id, { results });
  const text = textOf(comp);
  expect(text).toContain('总体满意率');
  expect(text).toContain(`${(results.overall.rate * 100).toFixed(1)}%`);
  expect(text).toContain(`有效答卷 ${results.ballots.counted} 份`);
  expect(text).toContain('生活环境和谐宜居');
  expect(text).not.toContain(results.areas.find((a) => a.answers === 0).name);
  expect(text).toContain('没有');
  expect(text).not.toContain('其他意见建议'); // free text is not published
});

test('suppressed overall figures are explained, not printed as numbers', () => {
  const results = rec.body('survey_results');
  results.overall = Object.assign({}, results.overall, { suppressed: true, rate: null });
  const comp = render(id, { results });
  expect(textOf(comp)).toContain('有效回答不足 5 个，暂不公布比例');
});

test('no results renders nothing', () => {
  expect(textOf(render(id, { results: null }))).toBe('');
});
