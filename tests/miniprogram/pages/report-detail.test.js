const { load, render, textOf, tap, signIn } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');

const pageId = load('pages/report-detail/index');
beforeEach(() => signIn());

async function open(routes) {
  const detail = rec.body('report_detail');
  const server = fakeServer(Object.assign(rec.replay('report_detail'), routes));
  const page = render(pageId);
  await page.instance.onLoad({ id: String(detail.id) });
  return { page, server, detail };
}

test('shows the recorded report with its timeline, newest first, and no rating before it is resolved', async () => {
  const { page, detail } = await open();
  const text = textOf(page);
  expect(text).toContain(detail.description);
  expect(text).toContain(detail.status_text);
  expect(text).toContain('居委会 安排处理：物业 物业 王师傅');
  expect(text).toContain('居民 提交了反映');
  expect(text.indexOf('安排处理')).toBeLessThan(text.indexOf('提交了反映'));
  expect(text).not.toContain('请评价');
});

test('photos use absolute signed links', async () => {
  const created = rec.body('report_create');
  const { page } = await open({ [`GET /reports/${created.id}`]: { status: 200, body: created } });
  expect(page.dom.querySelectorAll('wx-image')).toHaveLength(created.photos.length);
  expect(page.instance.data.report.photos[0].thumb).toMatch(/^http:\/\/127\.0\.0\.1:5000\/api\/v1\/uploads\/\d+\/file\?t=/);
});

test('the recorded resolved report shows the reply and asks for a rating', async () => {
  const detail = rec.body('report_detail_resolved');
  const { page } = await open(rec.replay('report_detail_resolved'));
  expect(textOf(page)).toContain(detail.status_text);
  expect(textOf(page)).toContain(detail.reply);
  expect(textOf(page)).toContain('问题解决了吗？请评价');
});

test('a rating the server refuses is shown in words', async () => {
  const detail = rec.body('report_detail_resolved');
  const { page } = await open(Object.assign(rec.replay('report_detail_resolved'), {
    [`POST /reports/${detail.id}/rating`]: apiError(409, 'report_not_ratable', '只有已办结、等待评价的反映可以评价'),
  }));
  await tap(page, '不满意');
  expect(textOf(page)).toContain('只有已办结、等待评价的反映可以评价');
});

test('a report that is not mine to see is an error in words', async () => {
  const detail = rec.body('report_detail');
  const { page } = await open({ [`GET /reports/${detail.id}`]: apiError(404, 'not_found', '未找到该反映') });
  expect(textOf(page)).toContain('未找到该反映');
});
