const { request } = require('./request');

function categories() {
  return request({ path: '/reports/categories' });
}

/** Open reports of this category at this building or within 100 m of the point. */
function similar({ categoryId, building, latitude, longitude }) {
  return request({
    path: '/reports/similar',
    query: { category_id: categoryId, building, latitude, longitude },
  });
}

/** draft: {categoryId, description, building, latitude, longitude, isPublic, photoIds} */
function create(draft) {
  return request({
    method: 'POST',
    path: '/reports',
    data: {
      category_id: draft.categoryId,
      description: draft.description,
      building: draft.building || '',
      latitude: draft.latitude === undefined ? null : draft.latitude,
      longitude: draft.longitude === undefined ? null : draft.longitude,
      is_public: draft.isPublic !== false,
      photo_ids: draft.photoIds || [],
    },
  });
}

function mine({ page = 1, perPage = 20 } = {}) {
  return request({ path: '/reports', query: { mine: 'true', page, per_page: perPage } });
}

function get(id) {
  return request({ path: '/reports/{id}', params: { id } });
}

/** rating: 'satisfied' | 'basically_satisfied' | 'dissatisfied' */
function rate(id, rating, note = '') {
  return request({ method: 'POST', path: '/reports/{id}/rating', params: { id }, data: { rating, note } });
}

/** "Me too" on an open report of my community. */
function support(id) {
  return request({ method: 'POST', path: '/reports/{id}/support', params: { id } });
}

/** The public board: resolved public reports of my community. */
function board({ page = 1, perPage = 10 } = {}) {
  return request({ path: '/reports/board', query: { page, per_page: perPage } });
}

/** Staff: reports in their scope, by status or overdue. */
function inbox({ status, overdue, page = 1, perPage = 20 } = {}) {
  return request({
    path: '/reports',
    query: { status, overdue: overdue ? 'true' : undefined, page, per_page: perPage },
    as: 'staff',
  });
}

function staffGet(id) {
  return request({ path: '/reports/{id}', params: { id }, as: 'staff' });
}

/** Staff: a move in the handling workflow, e.g. {action: 'reject', note}. */
function act(id, body) {
  return request({ method: 'POST', path: '/reports/{id}/actions', params: { id }, data: body, as: 'staff' });
}

module.exports = { categories, similar, create, mine, get, rate, support, board, inbox, staffGet, act };
