// Presentation rules for memberships shared by the home and 我的 pages.
const STATUS_TEXT = {
  pending: '审核中',
  approved: '已加入',
  rejected: '未通过',
  left: '已退出',
};

const STATUS_THEME = {
  pending: 'warning',
  approved: 'success',
  rejected: 'danger',
  left: 'default',
};

// A resident may have an old rejected or left record beside a live one; the live one matters.
const PRIORITY = { approved: 0, pending: 1, rejected: 2 };

/** The membership to show, or null when the resident has nothing but left records. */
function current(memberships) {
  const candidates = (memberships || []).filter((m) => m.status in PRIORITY);
  candidates.sort((a, b) => PRIORITY[a.status] - PRIORITY[b.status]
    || String(b.applied_at || '').localeCompare(String(a.applied_at || '')));
  return candidates[0] || null;
}

function statusText(membership) {
  const text = STATUS_TEXT[membership.status] || membership.status;
  if (membership.status === 'rejected' && membership.reason) return `${text}（${membership.reason}）`;
  return text;
}

// The server keeps the address as typed (or as picked from the community's building list, e.g.
// "1号楼"), so a suffix is added only when the value does not already carry one.
function withSuffix(value, suffix, already) {
  const text = String(value).trim();
  return already.test(text) ? text : `${text}${suffix}`;
}

function address(membership) {
  const parts = [];
  if (membership.building) parts.push(withSuffix(membership.building, '号楼', /[楼幢栋座]$/));
  if (membership.unit) parts.push(withSuffix(membership.unit, '单元', /单元$/));
  if (membership.room) parts.push(withSuffix(membership.room, '室', /室$/));
  return parts.join(' ');
}

/** A view model the WXML can print without logic. */
function present(membership) {
  if (!membership) return null;
  return {
    id: membership.id,
    status: membership.status,
    communityName: (membership.community && membership.community.name) || '',
    address: address(membership),
    statusText: statusText(membership),
    statusTheme: STATUS_THEME[membership.status] || 'default',
    canLeave: membership.status === 'approved' || membership.status === 'pending',
    canReapply: membership.status === 'rejected',
  };
}

module.exports = { current, present, statusText, address };
