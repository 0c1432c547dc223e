const { request } = require('./request');

/** My pending or approved volunteering: {volunteer: {...} | null}. */
function myVolunteering() {
  return request({ path: '/volunteers/me' });
}

/** Volunteer as a supervisor of my community (the committee approves). */
function volunteer() {
  return request({ method: 'POST', path: '/volunteers' });
}

/** My checklists (status: assigned | submitted). */
function mine({ status, page = 1, perPage = 20 } = {}) {
  return request({ path: '/inspections', query: { status, page, per_page: perPage } });
}

function get(id) {
  return request({ path: '/inspections/{id}', params: { id } });
}

/** Grade one drawn point A/B/C with a photo uploaded first; resolves with the checklist. */
function grade(id, itemId, { grade: value, photoId, note = '' }) {
  return request({
    method: 'PUT',
    path: '/inspections/{id}/items/{itemId}',
    params: { id, itemId },
    data: { grade: value, photo_id: photoId, note },
  });
}

function submit(id) {
  return request({ method: 'POST', path: '/inspections/{id}/submit', params: { id } });
}

module.exports = { myVolunteering, volunteer, mine, get, grade, submit };
