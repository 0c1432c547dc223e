const { load, render, textOf, tap, dispatch, signIn, flush } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');

const pageId = load('pages/inspection/index');
beforeEach(() => signIn());

function buttons(page, ...texts) {
  return [...page.dom.querySelectorAll('wx-button')].filter((b) => texts.includes(b.textContent.trim()));
}

async function press(el) {
  dispatch(el, 'tap');
  await flush();
}

function cameraAndUpload() {
  let n = 0;
  jest.spyOn(wx, 'chooseMedia').mockImplementation(({ success }) => setTimeout(() => success({ tempFiles: [{ tempFilePath: `wxfile://tmp/${n += 1}.jpg` }] }), 0));
  const uploaded = rec.recording('inspection_upload');
  return jest.spyOn(wx, 'uploadFile').mockImplementation((o) => {
    const body = Object.assign({}, uploaded.body, { id: uploaded.body.id + 100 + n });
    setTimeout(() => o.success({ statusCode: uploaded.status, data: JSON.stringify(body) }), 0);
    return {};
  });
}

/** The server's answer to grading: the recorded checklist with the graded point filled in. */
function gradingRoute(checklist) {
  return (call) => {
    const itemId = Number(call.path.split('/').pop());
    const item = checklist.items.find((i) => i.id === itemId);
    Object.assign(item, { grade: call.data.grade, photo_id: call.data.photo_id });
    return { status: 200, body: JSON.parse(JSON.stringify(checklist)) };
  };
}

async function open(routes = {}) {
  const server = fakeServer(Object.assign(rec.replayAll('volunteer_me', 'inspections_mine'), routes));
  const page = render(pageId);
  await page.instance.onLoad({});
  return { page, server };
}

test('a volunteer grades every randomly drawn point with a photo and submits the checklist', async () => {
  const checklist = rec.body('inspections_mine').items[0];
  const submitted = rec.body('inspection_submitted');
  const base = `/inspections/${checklist.id}`;
  const routes = { [`POST ${base}/submit`]: { status: 200, body: submitted } };
  checklist.items.forEach((item) => { routes[`PUT ${base}/items/${item.id}`] = gradingRoute(checklist); });
  cameraAndUpload();
  const { page, server } = await open(routes);
  checklist.items.forEach((item) => expect(textOf(page)).toContain(item.point));
  expect(textOf(page)).toContain(`随机抽样种子 ${checklist.seed}`);
  expect(textOf(page)).toContain(`已完成 0/${checklist.items.length}`);

  const grades = ['A', 'B', 'C'];
  for (let i = 0; i < checklist.items.length; i += 1) {
    await press(buttons(page, '拍照', '重新拍照')[i]);
    await press(buttons(page, grades[i])[i]);
  }
  expect(textOf(page)).toContain(`已完成 ${checklist.items.length}/${checklist.items.length}`);
  const puts = server.calls.filter((c) => c.method === 'PUT');
  expect(puts.map((c) => c.data.grade)).toEqual(grades.slice(0, checklist.items.length));
  expect(new Set(puts.map((c) => c.data.photo_id)).size).toBe(checklist.items.length);

  await tap(page, '提交清单');
  expect(server.callsTo('POST', `${base}/submit`)).toHaveLength(1);
  expect(textOf(page)).toContain('已提交，感谢您的监督！');
  expect(buttons(page, '提交清单')).toHaveLength(0);
});

test('a grade without a photo is not sent', async () => {
  const checklist = rec.body('inspections_mine').items[0];
  const { page, server } = await open();
  await press(buttons(page, 'A')[0]);
  expect(textOf(page)).toContain(`请先为“道路 · ${checklist.items[0].point}”拍照`);
  expect(server.calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
});

test('submitting too early shows the server\'s reason', async () => {
  const checklist = rec.body('inspections_mine').items[0];
  const { page } = await open({
    [`POST /inspections/${checklist.id}/submit`]: apiError(422, 'items_incomplete', '还有点位未评级或未拍照'),
  });
  await tap(page, '提交清单');
  expect(textOf(page)).toContain('还有点位未评级或未拍照');
});

test('a resident who is not a volunteer yet can volunteer and then waits for the committee', async () => {
  const { page, server } = await open(Object.assign(
    { 'GET /volunteers/me': { status: 200, body: { volunteer: null } } },
    rec.replay('volunteer_applied'),
  ));
  await tap(page, '申请成为志愿监督员');
  expect(server.callsTo('POST', '/volunteers')).toHaveLength(1);
  expect(textOf(page)).toContain('等待居委会审核');
});

test('no checklist assigned yet is said in words', async () => {
  const { page } = await open({ 'GET /inspections': { status: 200, body: { items: [], page: 1, per_page: 20, total: 0 } } });
  expect(textOf(page)).toContain('暂无待完成的抽查');
});
