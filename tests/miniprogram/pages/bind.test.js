const { load, render, textOf, all, first, dispatch, tap, signIn, flush } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const fx = require('../fixtures');

const pageId = load('pages/bind/index');

beforeEach(() => signIn());

/** Type into the search box and press the keyboard's search key (t-search's submit). */
async function search(page, text) {
  const input = page.dom.querySelector('wx-input');
  dispatch(input, 'input', { value: text });
  dispatch(input, 'confirm', { value: text });
  await flush();
}

async function fill(page, values) {
  for (const [label, value] of Object.entries(values)) {
    const field = all(page, 't-input').find((el) => el.textContent.includes(label));
    if (!field) throw new Error(`no input labelled ${label}`);
    dispatch(field.querySelector('wx-input'), 'input', { value });
  }
  await flush();
}

async function openForm(server) {
  const page = render(pageId);
  page.instance.onLoad({});
  await search(page, '曹杨');
  dispatch(first(page, 't-cell'), 'tap');
  await flush();
  expect(server.callsTo('GET', '/communities')).toHaveLength(1);
  return page;
}

test('searching by name lists communities and 加载更多 fetches the next page', async () => {
  const firstPage = [1, 2].map(fx.communityN);
  const server = fakeServer({
    'GET /communities?q=%E6%9B%B9%E6%9D%A8&page=1&per_page=20': { status: 200, body: fx.page(firstPage, { total: 3 }) },
    'GET /communities?q=%E6%9B%B9%E6%9D%A8&page=2&per_page=20': { status: 200, body: fx.page([fx.communityN(3)], { page: 2, total: 3 }) },
  });
  const page = render(pageId);
  page.instance.onLoad({});
  await search(page, '曹杨');
  expect(textOf(page)).toContain('共找到 3 个小区');
  expect(textOf(page)).toContain('测试小区1号');
  expect(textOf(page)).toContain('普陀区 曹杨新村街道');
  await tap(page, '加载更多');
  expect(textOf(page)).toContain('测试小区3号');
  expect(all(page, 't-cell')).toHaveLength(3);
  expect(textOf(page)).not.toContain('加载更多');
  expect(server.calls.map((c) => c.query)).toEqual([
    'q=%E6%9B%B9%E6%9D%A8&page=1&per_page=20',
    'q=%E6%9B%B9%E6%9D%A8&page=2&per_page=20',
  ]);
});

test('no match says so in words', async () => {
  fakeServer({ 'GET /communities': { status: 200, body: fx.page([]) } });
  const page = render(pageId);
  page.instance.onLoad({});
  await search(page, '不存在');
  expect(textOf(page)).toContain('没有找到名称包含“不存在”的小区');
});

test('a search error shows the server message', async () => {
  fakeServer({ 'GET /communities': apiError(429, 'rate_limited', '搜索太频繁，请稍后再试') });
  const page = render(pageId);
  page.instance.onLoad({});
  await search(page, '曹杨');
  expect(textOf(page)).toContain('搜索太频繁，请稍后再试');
});

test('picking a community, filling the address and submitting shows 审核中', async () => {
  const server = fakeServer({
    'GET /communities': { status: 200, body: fx.page([fx.community]) },
    'POST /memberships': { status: 201, body: fx.membership({ status: 'pending' }) },
  });
  const switchTab = jest.spyOn(wx, 'switchTab');
  const page = await openForm(server);
  expect(textOf(page)).toContain('申请加入');
  await fill(page, { 楼号: ' 12 ', 单元: '2', 室号: '301' });
  await tap(page, '提交申请');
  expect(server.callsTo('POST', '/memberships')[0].data).toEqual({ community_id: 7, building: '12', unit: '2', room: '301' });
  expect(textOf(page)).toContain('申请已提交');
  expect(textOf(page)).toContain('状态：审核中');
  await tap(page, '返回首页');
  expect(switchTab).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/home/index' }));
});

test('missing 楼号 and 室号 are caught before anything is sent', async () => {
  const server = fakeServer({ 'GET /communities': { status: 200, body: fx.page([fx.community]) } });
  const page = await openForm(server);
  await tap(page, '提交申请');
  expect(textOf(page)).toContain('请填写楼号');
  expect(textOf(page)).toContain('请填写室号');
  expect(server.callsTo('POST', '/memberships')).toHaveLength(0);
});

test('a 409 from the server is shown to the person', async () => {
  const server = fakeServer({
    'GET /communities': { status: 200, body: fx.page([fx.community]) },
    'POST /memberships': apiError(409, 'membership_exists', '您已有待审核或已加入的小区，不能重复申请'),
  });
  const page = await openForm(server);
  await fill(page, { 楼号: '12', 室号: '301' });
  await tap(page, '提交申请');
  expect(textOf(page)).toContain('您已有待审核或已加入的小区，不能重复申请');
  expect(textOf(page)).not.toContain('申请已提交');
});

test('a 422 puts the server field message under the field', async () => {
  const server = fakeServer({
    'GET /communities': { status: 200, body: fx.page([fx.community]) },
    'POST /memberships': apiError(422, 'invalid_fields', '填写的内容有误', { room: ['室号格式不正确'] }),
  });
  const page = await openForm(server);
  await fill(page, { 楼号: '12', 室号: 'x' });
  await tap(page, '提交申请');
  expect(textOf(page)).toContain('室号格式不正确');
});

test('opening with a QR scene looks the community up by code and goes straight to the form', async () => {
  const server = fakeServer({ 'GET /communities/by-code/SH-PT-0007': { status: 200, body: fx.community } });
  const page = render(pageId);
  await page.instance.onLoad({ scene: encodeURIComponent('c=SH-PT-0007') });
  expect(server.calls).toHaveLength(1);
  expect(textOf(page)).toContain('曹杨新村第一小区');
  expect(textOf(page)).toContain('提交申请');
});

test('an unknown QR code shows the server message and offers to search instead', async () => {
  fakeServer({ 'GET /communities/by-code/NOPE': apiError(404, 'not_found', '没有找到这个小区，二维码可能已失效') });
  const page = render(pageId);
  await page.instance.onLoad({ scene: 'NOPE' });
  expect(textOf(page)).toContain('没有找到这个小区，二维码可能已失效');
  await tap(page, '改为搜索小区');
  expect(page.dom.querySelector('wx-input')).toBeTruthy();
  expect(textOf(page)).not.toContain('二维码可能已失效');
});
