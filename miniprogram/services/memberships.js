const { request } = require('./request');

/** Resolves with the new membership (status "pending"); 409 membership_exists if one is live. */
function apply({ communityId, building, unit, room }) {
  return request({
    method: 'POST',
    path: '/memberships',
    data: { community_id: communityId, building, unit, room },
  });
}

function list({ status, page = 1, perPage = 20 } = {}) {
  return request({ path: '/memberships', query: { status, page, per_page: perPage } });
}

function leave(id) {
  return request({ method: 'POST', path: '/memberships/{id}/leave', params: { id } });
}

/** Staff: applications waiting in their scope. */
function pending({ page = 1, perPage = 20 } = {}) {
  return request({ path: '/memberships', query: { status: 'pending', page, per_page: perPage }, as: 'staff' });
}

function approve(id) {
  return request({ method: 'POST', path: '/memberships/{id}/approve', params: { id }, as: 'staff' });
}

function reject(id, reason) {
  return request({ method: 'POST', path: '/memberships/{id}/reject', params: { id }, data: { reason }, as: 'staff' });
}

module.exports = { apply, list, leave, pending, approve, reject };
