const { request } = require('./request');

const PER_PAGE = 20;

/** Resolves with {items, page, per_page, total}. */
function search({ q, page = 1, perPage = PER_PAGE } = {}) {
  return request({ path: '/communities', query: { q, page, per_page: perPage } });
}

function get(id) {
  return request({ path: '/communities/{id}', params: { id } });
}

/** For the QR code on a community's notice board: its scene carries the community code. */
function getByCode(code) {
  return request({ path: '/communities/by-code/{code}', params: { code } });
}

module.exports = { search, get, getByCode, PER_PAGE };

/** What residents see of the community's evaluation: title, cycle, stage, figures with trend. */
function status(id) {
  return request({ path: '/communities/{id}/status', params: { id } });
}

module.exports.status = status;
