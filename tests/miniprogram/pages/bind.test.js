const { load, render, textOf, all, first, dispatch, tap, signIn, flush } = require('../helpers/render');
const { fakeServer, apiError } = require('../helpers/server');
const rec = require('../helpers/recordings');
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

const SEARCH = rec.replay('communities_search'); // GET /communities, whatever the query

async function openForm(server) {
  const page = render(pageId);
  page.instance.onLoad({});
  await search(page, '建业');
  dispatch(first(page, 't-cell'), 'tap');
  await flush();
  expect(server.callsTo('GET', '/communities')).toHaveLength(1);
  return page;
}

test('searching by name sends the recorded query and lists the recorded community', async () => {
  const found = rec.recording('communities_search');
  const server = fakeServer(rec.replay('communities_search', { withQuery: true }));
  const page = render(pageId);
  page.instance.onLoad({});
  await search(page, '建业');
  expect(server.calls[0].query).toBe(rec.query('communities_search'));
  expect(textOf(page)).toContain(`共找到 ${found.body.total} 个小区`);
  expect(textOf(page)).toContain(fx.community.name);
  expect(textOf(page)).toContain(`${fx.community.district.name} ${fx.community.street.name}`);
  expect(textOf(page)).not.toContain('加载更多');
});

test('加载更多 fetches the next page', async () => {
  // HAND-MODIFIED: three copies of the recorded community over two pages (no recording pages).
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
  const applied = rec.body('membership_apply');
  const server = fakeServer(Object.assign({}, SEARCH, rec.replay('membership_apply')));
  const switchTab = jest.spyOn(wx, 'switchTab');
  const page = await openForm(server);
  expect(textOf(page)).toContain('申请加入');
  await fill(page, { 楼号: ` ${applied.building} `, 单元: applied.unit, 室号: applied.room });
  await tap(page, '提交申请');
  expect(server.callsTo('POST', '/memberships')[0].data).toEqual({
    community_id: fx.community.id, building: applied.building, unit: applied.unit, room: applied.room,
  });
  expect(textOf(page)).toContain('申请已提交');
  expect(textOf(page)).toContain('状态：审核中');
  await tap(page, '返回首页');
  expect(switchTab).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/home/index' }));
});

test('missing 楼号 and 室号 are caught before anything is sent', async () => {
  const server = fakeServer(SEARCH);
  const page = await openForm(server);
  await tap(page, '提交申请');
  expect(textOf(page)).toContain('请填写楼号');
  expect(textOf(page)).toContain('请填写室号');
  expect(server.callsTo('POST', '/memberships')).toHaveLength(0);
});

test('a 409 from the server is shown to the person', async () => {
  const server = fakeServer({
    ...SEARCH,
    'POST /memberships': apiError(409, 'membership_exists', '您已有待审核或已加入的小区，不能重复申请'),
  });
  const page = await openForm(server);
  await fill(page, { 楼号: '12', 室号: '301' });
  await tap(page, '提交申请');
  expect(textOf(page)).toContain('您已有待审核或已加入的小区，不能重复申请');
  expect(textOf(page)).not.toContain('申请已提交');
});

test('the recorded 422 puts the server field message under the field', async () => {
  const invalid = rec.body('membership_apply_invalid'); // {details: {fields: {building: [msg]}}}
  const server = fakeServer(Object.assign({}, SEARCH, rec.replay('membership_apply_invalid')));
  const page = await openForm(server);
  await fill(page, { 楼号: '1'.repeat(20), 室号: '101' });
  await tap(page, '提交申请');
  expect(page.instance.data.fieldErrors.building).toBe(invalid.details.fields.building[0]);
  expect(textOf(page)).toContain(invalid.details.fields.building[0]);
});

test('opening with a QR scene looks the community up by code and goes straight to the form', async () => {
  // HAND-MODIFIED: by-code is not recorded; it answers CommunityOut, as the recorded search item.
  const server = fakeServer({ [`GET /communities/by-code/${fx.community.code}`]: { status: 200, body: fx.community } });
  const page = render(pageId);
  await page.instance.onLoad({ scene: encodeURIComponent(`c=${fx.community.code}`) });
  expect(server.calls).toHaveLength(1);
  expect(textOf(page)).toContain(fx.community.name);
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
