const { load, render, textOf, all, dispatch, tap, tapText, signIn, flush } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');

const pageId = load('pages/report/index');
beforeEach(() => signIn());
afterEach(() => {
  delete wx.compressImage;
});

async function open(routes = {}) {
  const server = fakeServer(Object.assign(rec.replay('report_categories'), routes));
  const page = render(pageId);
  await page.instance.onLoad();
  return { page, server };
}

async function typeBuilding(page, value) {
  dispatch(all(page, 't-input')[0].querySelector('wx-input'), 'input', { value });
  await flush();
}

function pickPhoto(path = 'wxfile://tmp/a.jpg') {
  jest.spyOn(wx, 'chooseMedia').mockImplementation(({ success }) => setTimeout(() => success({ tempFiles: [{ tempFilePath: path }] }), 0));
  wx.compressImage = ({ success }) => setTimeout(() => success({ tempFilePath: path }), 0);
}

test('an emergency category offers 110/119 by phone instead of a report', async () => {
  const emergency = rec.body('report_categories').items.find((c) => c.emergency);
  const call = jest.spyOn(wx, 'makePhoneCall').mockImplementation(() => {});
  const { page, server } = await open();
  await tap(page, emergency.name);
  expect(textOf(page)).toContain('紧急情况请立即拨打电话');
  await tap(page, '拨打 119');
  expect(call).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '119' }));
  expect(server.callsTo('POST', '/reports')).toHaveLength(0);
});

test('"me too" on a recorded similar report supports it instead of filing', async () => {
  const similar = rec.body('reports_similar').items[0];
  const supported = Object.assign({}, similar, { supported: true, support_count: 1, allowed_actions: [] });
  const { page, server } = await open(Object.assign(rec.replay('reports_similar'), { [`POST /reports/${similar.id}/support`]: { status: 200, body: supported } }));
  await tap(page, similar.category.name);
  await typeBuilding(page, similar.building);
  await tap(page, '下一步');
  await tap(page, '我也遇到了');
  expect(server.callsTo('POST', `/reports/${similar.id}/support`)).toHaveLength(1);
  expect(textOf(page)).toContain('您已附议');
  expect(textOf(page)).toContain('1 人附议');
});

test('no building and no map point: asked for a place', async () => {
  const { page } = await open();
  await tap(page, rec.body('report_create').category.name);
  await tap(page, '下一步');
  expect(textOf(page)).toContain('请填写楼号，或在地图上选择位置');
});

test('a failed upload keeps the draft; reopening resumes it and 重试上传 sends only the missing photo', async () => {
  const created = rec.body('report_create');
  const uploaded = rec.recording('upload');
  const { page } = await open({ 'GET /reports/similar': { status: 200, body: { items: [] } } });
  await tap(page, created.category.name);
  await typeBuilding(page, '2号楼');
  await tap(page, '下一步');
  pickPhoto();
  const upload = jest.spyOn(wx, 'uploadFile').mockImplementationOnce((o) => {
    setTimeout(() => o.fail({ errMsg: 'uploadFile:fail timeout' }), 0);
    return {};
  });
  await tapText(page, 'uploader__add', '拍照或选照片');
  await flush();
  expect(textOf(page)).toContain('上传失败');
  expect(textOf(page)).toContain('网络请求超时');
  const draft = wx.getStorageSync('report.draft');
  expect(draft).toMatchObject({ categoryId: created.category.id, building: '2号楼' });
  expect(draft.photos).toEqual([expect.objectContaining({ path: 'wxfile://tmp/a.jpg', status: 'failed' })]);

  // The app closes; next time the page opens straight at the details with the photo.
  fakeServer(rec.replay('report_categories'));
  const again = render(pageId);
  await again.instance.onLoad();
  expect(textOf(again)).toContain(created.category.name);
  expect(textOf(again)).toContain('2号楼');
  upload.mockImplementation((o) => {
    setTimeout(() => o.success({ statusCode: uploaded.status, data: JSON.stringify(uploaded.body) }), 0);
    return {};
  });
  await again.instance.onPhotoRetry();
  await flush();
  expect(textOf(again)).toContain('已上传');
  expect(wx.getStorageSync('report.draft').photos[0]).toMatchObject({ id: uploaded.body.id, status: 'done' });
});

test('the server refusing the report shows its message and keeps the draft', async () => {
  const created = rec.body('report_create');
  const { page } = await open({
    'GET /reports/similar': { status: 200, body: { items: [] } },
    'POST /reports': apiError(403, 'not_member', '您还不是该小区的居民，不能反映问题'),
  });
  await tap(page, created.category.name);
  await typeBuilding(page, '2号楼');
  await tap(page, '下一步');
  await tap(page, '提交反映');
  expect(textOf(page)).toContain('请描述一下问题');
  dispatch(page.dom.querySelector('wx-textarea'), 'input', { value: '楼道堆物' });
  await flush();
  await tap(page, '提交反映');
  expect(textOf(page)).toContain('您还不是该小区的居民，不能反映问题');
  expect(wx.getStorageSync('report.draft').description).toBe('楼道堆物');
});

test('categories failing to load is shown in words', async () => {
  const { page } = await open({ 'GET /reports/categories': apiError(500, 'internal', '服务暂时不可用，请稍后重试') });
  expect(textOf(page)).toContain('服务暂时不可用，请稍后重试');
});
