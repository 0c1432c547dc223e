// Server responses in the shapes of the API contract (see services/ and the OpenAPI document).
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

module.exports = { community, membership, me, page, communityN };
