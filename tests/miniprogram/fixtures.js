// HAND-WRITTEN server answers, kept only where the Python test run records nothing yet.
// Everything the server does record is replayed from build/recordings (helpers/recordings.js);
// these remain for /me, /communities, /memberships, /auth/*, /reports/board, /notifications and
// staff lists, which no test records today (see the mini-program section of the README).
// They follow the OpenAPI document's schemas (MeOut, MembershipOut, CommunityOut, ...).
const community = {
  id: 7,
  code: 'SH-PT-0007',
  name: '曹杨新村第一小区',
  address: '普陀区兰溪路 120 弄',
  households: 860,
  street: { id: 3, code: 'PT-CY', name: '曹杨新村街道', kind: 'street' },
  district: { id: 1, code: 'PT', name: '普陀区' },
};

function membership(overrides = {}) {
  return Object.assign({
    id: 41,
    community: { id: community.id, code: community.code, name: community.name },
    building: '12',
    unit: '2',
    room: '301',
    status: 'pending',
    reason: null,
    applied_at: '2025-03-01T09:00:00+08:00',
    decided_at: null,
  }, overrides);
}

function me(memberships = []) {
  return { kind: 'resident', id: 1001, memberships };
}

function page(items, { page: pageNo = 1, perPage = 20, total = items.length } = {}) {
  return { items, page: pageNo, per_page: perPage, total };
}

function communityN(n) {
  return Object.assign({}, community, { id: 100 + n, code: `SH-X-${n}`, name: `测试小区${n}号` });
}

/** HAND-WRITTEN: POST /auth/wechat-login (TokenOut). */
function session(token = 'token-1') {
  return { token, expires_at: '2099-01-01T00:00:00+08:00', user: { kind: 'resident', id: 1001 } };
}

/** HAND-WRITTEN: GET /me for a resident approved in the recorded community (id from community_status). */
function approvedIn(communityRef) {
  return me([membership({ status: 'approved', community: communityRef, decided_at: '2025-03-02T09:00:00+08:00' })]);
}

/** HAND-WRITTEN: GET /reports/board item (BoardItem). */
function boardItem(overrides = {}) {
  return Object.assign({
    id: 11, category: '乱堆物', building: '2号楼', description: '楼道堆放旧家具', reply: '已清理完毕',
    rating: 'satisfied', support_count: 3, created_at: '2026-11-20T09:00:00+08:00', closed_at: '2026-11-22T17:00:00+08:00', photos: [],
  }, overrides);
}

/** HAND-WRITTEN: GET /notifications item (NotificationOut). */
function notification(overrides = {}) {
  return Object.assign({
    id: 9, kind: 'report_status', title: '您反映的问题有新进展', body: '居委会已受理您反映的“乱堆物”问题',
    page: 'pages/report-detail/index?id=1', community: null, created_at: '2026-11-29T10:00:00+08:00', read_at: null, delivery: 'not_configured',
  }, overrides);
}

/** HAND-WRITTEN: GET /me for a committee member (staff token). */
function staffMe() {
  return {
    kind: 'staff', id: 5, username: 'xh-tp-r01', display_name: '建业里居委会', role: 'committee',
    scope: { id: 6, code: 'XH-TP-R01', name: '建业里居民区', level: 'residential_area', kind: null }, memberships: [],
  };
}

module.exports = {
  community, membership, me, page, communityN, session, approvedIn, boardItem, notification, staffMe,
};
