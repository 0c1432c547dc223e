const { load, render, textOf } = require('../helpers/render');
const rec = require('../helpers/recordings');

const id = load('components/survey-results/index');

test('renders the recorded results: overall, areas, per-question shares', () => {
  const results = rec.body('survey_results');
  const comp = render(id, { results });
  const text = textOf(comp);
  expect(text).toContain('总体满意率');
  expect(text).toContain(`${(results.overall.rate * 100).toFixed(1)}%`);
  expect(text).toContain(`有效答卷 ${results.ballots.counted} 份`);
  expect(text).toContain('生活环境和谐宜居');
  // An area without enough households is named and said to be withheld, with no number.
  const withheld = results.areas.find((a) => a.suppressed);
  expect(text).toContain(withheld.name);
  expect(text).toContain('样本不足');
  expect(text).toContain('没有');
  expect(text).not.toContain('其他意见建议'); // free text is not published
});

test('suppressed overall figures are explained, not printed as numbers', () => {
  const results = rec.body('survey_results');
  results.overall = Object.assign({}, results.overall, { suppressed: true, rate: null });
  const comp = render(id, { results });
  expect(textOf(comp)).toContain(`作答不足 ${results.disclosure.min_households} 户，暂不公布`);
});

test('no results renders nothing', () => {
  expect(textOf(render(id, { results: null }))).toBe('');
});
