const scene = require('../../miniprogram/utils/scene');
const membership = require('../../miniprogram/utils/membership');
const settings = require('../../miniprogram/utils/settings');
const config = require('../../miniprogram/config');
const fx = require('./fixtures');

describe('scene', () => {
  test.each([
    [{ scene: 'SH-PT-0007' }, 'SH-PT-0007'],
    [{ scene: encodeURIComponent('c=SH-PT-0007&x=1') }, 'SH-PT-0007'],
    [{ scene: 'code%3DAB12' }, 'AB12'],
    [{ scene: 'x=1' }, null],
    [{}, null],
  ])('%j -> %s', (query, code) => {
    expect(scene.communityCode(query)).toBe(code);
  });
});

describe('membership', () => {
  test('the newest pending one is shown when nothing is approved', () => {
    const picked = membership.current([
      fx.membership({ id: 1, status: 'pending', applied_at: '2025-01-01T00:00:00+08:00' }),
      fx.membership({ id: 2, status: 'pending', applied_at: '2025-02-01T00:00:00+08:00' }),
      fx.membership({ id: 3, status: 'left' }),
    ]);
    expect(picked.id).toBe(2);
  });

  test('only left records means no current membership', () => {
    expect(membership.current([fx.membership({ status: 'left' })])).toBeNull();
    expect(membership.current(undefined)).toBeNull();
  });

  test('address skips a missing unit', () => {
    expect(membership.address({ building: '5', unit: '', room: '1201' })).toBe('5号楼 1201室');
  });
});

describe('settings', () => {
  test('large text follows an enlarged WeChat font until the person chooses', () => {
    jest.spyOn(wx, 'getAppBaseInfo').mockReturnValue({ fontSizeSetting: 22 });
    expect(settings.isLargeText()).toBe(true);
    settings.setLargeText(false);
    expect(settings.isLargeText()).toBe(false);
  });

  test('the default WeChat font size means normal text', () => {
    jest.spyOn(wx, 'getAppBaseInfo').mockReturnValue({ fontSizeSetting: 17 });
    expect(settings.isLargeText()).toBe(false);
  });
});

describe('config', () => {
  test.each([['develop', 'http://127.0.0.1:5000/api/v1'], ['release', config.BASE_URLS.release], ['unknown', config.BASE_URLS.develop]])(
    'envVersion %s -> %s', (envVersion, url) => {
      jest.spyOn(wx, 'getAccountInfoSync').mockReturnValue({ miniProgram: { envVersion } });
      expect(config.baseUrl()).toBe(url);
    },
  );
});

describe('survey answering rules', () => {
  const logic = require('../../miniprogram/utils/survey');
  const rec = require('./helpers/recordings');

  test('show_if hides a question until its condition holds, and hidden answers are not sent', () => {
    const { questions } = rec.body('survey_detail');
    expect(logic.visibleQuestions(questions, {}).map((q) => q.key)).toEqual(['q1', 'q2', 'q3', 'q5', 'q6']);
    expect(logic.visibleQuestions(questions, { q3: 'yes' }).map((q) => q.key)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
    expect(logic.answersToSend(questions, { q1: 5, q3: 'no', q4: 3, q6: '  ' })).toEqual({ q1: 5, q3: 'no' });
  });

  test('不了解 (0) counts as an answer; the first missing required question is found', () => {
    const { questions } = rec.body('survey_detail');
    expect(logic.firstMissing(questions, { q1: 0, q2: 5 })).toBe(2);
    expect(logic.firstMissing(questions, { q1: 0, q2: 5, q3: 'no' })).toBe(-1);
  });

  test('a draft keeps its idempotency key across opens', () => {
    const draft = logic.openDraft(7);
    logic.saveDraft(7, draft);
    expect(logic.openDraft(7).key).toBe(draft.key);
    logic.clearDraft(7);
    expect(logic.openDraft(7).key).not.toBe(draft.key);
  });
});

describe('display formats', () => {
  const format = require('../../miniprogram/utils/format');

  test('times read in Shanghai whatever the phone says', () => {
    expect(format.dateTime('2026-11-29T13:06:45.187269+00:00')).toBe('2026-11-29 21:06');
    expect(format.date('2026-12-31T20:00:00+00:00')).toBe('2027-01-01');
  });

  test('trends and percents', () => {
    expect(format.trend({ direction: 'down', change: -2 })).toBe('↓ 较上期下降 2.0 分');
    expect(format.trend({ direction: 'unknown', change: null })).toBe('暂无上期数据');
    expect(format.percent(0.8182)).toBe('81.8%');
    expect(format.percent(null)).toBe('—');
  });
});
