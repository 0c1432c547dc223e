const { request } = require('./request');

/** Residents: surveys of their community. status: 'open' (to answer now) | 'ended'. */
function list({ status, page = 1, perPage = 20 } = {}) {
  return request({ path: '/surveys', query: { status, page, per_page: perPage } });
}

function get(id) {
  return request({ path: '/surveys/{id}', params: { id } });
}

/**
 * answers: {questionKey: level | value | [values] | text}. The same idempotencyKey on a retry
 * returns the first receipt instead of a 409, so a flaky connection cannot lose or double a ballot.
 * answerToken: the survey's answer_token as first read; the server times the answer from it.
 */
function submit(id, { answers, answerToken, idempotencyKey }) {
  return request({
    method: 'POST',
    path: '/surveys/{id}/responses',
    params: { id },
    data: { answers, answer_token: answerToken },
    header: { 'Idempotency-Key': idempotencyKey },
  });
}

/** Residents: the public results of an ended survey. */
function results(id) {
  return request({ path: '/surveys/{id}/results', params: { id } });
}

/** Staff: the surveys they manage or whose communities are in their scope. */
function staffList({ status, page = 1, perPage = 20 } = {}) {
  return request({ path: '/surveys', query: { status, page, per_page: perPage }, as: 'staff' });
}

/** Staff: live results while the survey runs. */
function staffResults(id) {
  return request({ path: '/surveys/{id}/results', params: { id }, as: 'staff' });
}

module.exports = { list, get, submit, results, staffList, staffResults };
