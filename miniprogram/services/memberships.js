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

module.exports = { apply, list, leave };
