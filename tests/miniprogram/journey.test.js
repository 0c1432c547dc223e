// The resident's whole path, page by page, against the server's RECORDED answers where the Python
// suite records them (build/recordings): log in, bind, see the community, answer a survey, report
// a problem with a photo, rate the fix. Every answer is a recording; none is hand-written.
const { load, render, textOf, all, dispatch, tap, tapText, flush } = require('./helpers/render');
const { fakeServer } = require('./helpers/server');
const rec = require('./helpers/recordings');
const token = require('../../miniprogram/services/token');

const ids = {
  bind: load('pages/bind/index'),
  home: load('pages/home/index'),
  survey: load('pages/survey/index'),
  report: load('pages/report/index'),
  detail: load('pages/report-detail/index'),
};

async function type(page, cls, label, value, tag = 'wx-input') {
  const field = all(page, cls).find((el) => !label || el.textContent.includes(label));
  if (!field) throw new Error(`no ${cls} labelled ${label}`);
  dispatch(field.querySelector(tag), 'input', { value });
  await flush();
}

function recordedCommunity() {
  const status = rec.body('community_status');
  return { id: status.community.id, code: 'XH-TP-001', name: status.community.name };
}

test('1. log in silently, 2. bind to the community and see 审核中', async () => {
  let app;
  global.App = (definition) => { app = definition; };
  jest.isolateModules(() => require('../../miniprogram/app'));
  delete global.App;
  jest.spyOn(wx, 'login').mockImplementation(({ success }) => setTimeout(() => success({ code: 'wx-code' }), 0));
  const community = rec.body('communities_search').items[0];
  const applied = rec.body('membership_apply');
  const session = rec.body('auth_wechat_login');
  const server = fakeServer(Object.assign(
    rec.replay('communities_search', { withQuery: true }),
    rec.replayAll('auth_wechat_login', 'membership_apply', 'wechat_templates'),
  ));
  app.onLaunch();
  await flush();
  expect(token.get()).toBe(session.token);
  expect(server.callsTo('GET', '/wechat/templates')).toHaveLength(1);

  const page = render(ids.bind);
  page.instance.onLoad({});
  const input = page.dom.querySelector('wx-input');
  const q = decodeURIComponent(rec.query('communities_search').match(/q=([^&]*)/)[1]);
  dispatch(input, 'input', { value: q });
  dispatch(input, 'confirm', { value: q });
  await flush();
  await tapText(page, 't-cell', community.name);
  await type(page, 't-input', '楼号', applied.building);
  await type(page, 't-input', '单元', applied.unit);
  await type(page, 't-input', '室号', applied.room);
  await tap(page, '提交申请');
  expect(server.callsTo('POST', '/memberships')[0].data).toEqual({ community_id: community.id, building: applied.building, unit: applied.unit, room: applied.room });
  expect(server.callsTo('POST', '/memberships')[0].header.Authorization).toBe(`Bearer ${session.token}`);
  expect(textOf(page)).toContain('审核中');
  expect(textOf(page)).toContain('1号楼 1单元 101室');
});

test('3. once approved, home shows the recorded status and the recorded open survey', async () => {
  token.set('resident-token');
  expect(rec.body('me_resident').memberships[0].community.id).toBe(recordedCommunity().id);
  fakeServer(rec.replayAll('me_resident', 'reports_board', 'community_status', 'surveys_list'));
  const page = render(ids.home);
  await page.instance.onShow();
  expect(textOf(page)).toContain(rec.body('community_status').stage.label);
  expect(textOf(page)).toContain(rec.body('surveys_list').items[0].title);
  expect(textOf(page)).toContain(rec.body('reports_board').items[0].description);
});

test('4. answer the recorded survey one question per screen, conditions honoured, submitted once with a key', async () => {
  token.set('resident-token');
  const survey = rec.body('survey_detail');
  const server = fakeServer(rec.replayAll('survey_detail', 'survey_submit'));
  const page = render(ids.survey);
  await page.instance.onLoad({ id: String(survey.id) });
  await tap(page, '开始填写');
  expect(textOf(page)).toContain(survey.questions[0].text);
  expect(textOf(page)).toContain('第 1 题 / 共 5 题'); // q4 hides until q3 is answered "yes"
  await tap(page, '满意');
  expect(textOf(page)).toContain(survey.questions[1].text);
  await tap(page, '不了解');
  await tap(page, '参加过');
  expect(textOf(page)).toContain(survey.questions[3].text); // the conditional question appears
  expect(textOf(page)).toContain('第 4 题 / 共 6 题');
  // Answers are in storage before anything is sent: a closed app resumes here.
  expect(wx.getStorageSync(`survey.draft.${survey.id}`).answers).toEqual({ q1: 4, q2: 0, q3: 'yes' });
  await tap(page, '基本满意');
  await tap(page, '卫生');
  await tap(page, '停车');
  await tap(page, '下一题');
  await type(page, 't-textarea', '', '希望多装路灯', 'wx-textarea');
  await tap(page, '提交问卷');

  const [sent] = server.callsTo('POST', `/surveys/${survey.id}/responses`);
  expect(sent.data.answers).toEqual({ q1: 4, q2: 0, q3: 'yes', q4: 3, q5: ['clean', 'parking'], q6: '希望多装路灯' });
  expect(sent.data.answer_token).toBe(survey.answer_token);
  expect(sent.header['Idempotency-Key']).toMatch(/^survey-/);
  expect(textOf(page)).toContain(rec.body('survey_submit').message);
  expect(wx.getStorageSync(`survey.draft.${survey.id}`)).toBe('');
});

test('5. report a problem with a photo: similar reports first, upload with progress, recorded answers', async () => {
  token.set('resident-token');
  const created = rec.body('report_create');
  const uploaded = rec.recording('upload');
  const server = fakeServer(rec.replayAll('report_categories', 'reports_similar', 'report_create'));
  jest.spyOn(wx, 'chooseMedia').mockImplementation(({ success }) => setTimeout(() => success({ tempFiles: [{ tempFilePath: 'wxfile://tmp/clutter.jpg' }] }), 0));
  wx.compressImage = ({ fail }) => setTimeout(() => fail({ errMsg: 'compressImage:fail' }), 0);
  const progress = [];
  const uploadFile = jest.spyOn(wx, 'uploadFile').mockImplementation((options) => {
    const listeners = [];
    setTimeout(() => {
      listeners.forEach((fn) => fn({ progress: 50 }));
      options.success({ statusCode: uploaded.status, data: JSON.stringify(uploaded.body) });
    }, 0);
    return { onProgressUpdate: (fn) => listeners.push((p) => { progress.push(p.progress); fn(p); }) };
  });

  const page = render(ids.report);
  await page.instance.onLoad();
  await tap(page, created.category.name);
  await type(page, 't-input', '楼号', created.building);
  await tap(page, '下一步');
  expect(server.callsTo('GET', '/reports/similar')[0].query).toContain(`category_id=${created.category.id}`);
  expect(textOf(page)).toContain(rec.body('reports_similar').items[0].description);
  expect(textOf(page)).toContain('我也遇到了');
  await tap(page, '不是同一个问题，继续反映');

  await tapText(page, 'uploader__add', '拍照或选照片');
  await flush();
  expect(uploadFile.mock.calls[0][0]).toMatchObject({ filePath: 'wxfile://tmp/clutter.jpg', name: 'file' });
  expect(uploadFile.mock.calls[0][0].header.Authorization).toBe('Bearer resident-token');
  expect(progress).toEqual([50]);
  expect(textOf(page)).toContain('已上传');
  await type(page, 't-textarea', '', created.description, 'wx-textarea');
  await tap(page, '提交反映');

  const [sent] = server.callsTo('POST', '/reports');
  expect(sent.data).toMatchObject({ category_id: created.category.id, building: created.building, description: created.description, photo_ids: [uploaded.body.id], is_public: true });
  expect(textOf(page)).toContain('反映已提交');
  expect(textOf(page)).toContain(created.status_text);
  expect(wx.getStorageSync('report.draft')).toBe('');
  delete wx.compressImage;
});

test('6. rate the fix: 基本满意 closes the report with the recorded answer', async () => {
  token.set('resident-token');
  const rated = rec.body('report_rating');
  const resolved = rec.body('report_detail_resolved');
  expect(resolved.id).toBe(rated.id); // both the first report of their test's database
  const server = fakeServer(rec.replayAll('report_detail_resolved', 'report_rating'));
  const page = render(ids.detail);
  await page.instance.onLoad({ id: String(resolved.id) });
  expect(textOf(page)).toContain('问题解决了吗？请评价');
  await tap(page, '基本满意');
  expect(server.callsTo('POST', `/reports/${resolved.id}/rating`)[0].data).toEqual({ rating: 'basically_satisfied', note: '' });
  expect(textOf(page)).toContain('我的评价：基本满意');
  expect(textOf(page)).toContain(rated.status_text);
  expect(textOf(page)).not.toContain('问题解决了吗');
});
