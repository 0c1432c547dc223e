const { request } = require('./request');
const token = require('./token');

/** The signed-in person: a resident with memberships, or staff with a scope. */
function get() {
  return request({ path: '/me' });
}

/** Everything the server holds about the signed-in resident (个人信息查阅). */
function data() {
  return request({ path: '/me/data' });
}

/**
 * Delete the resident's account (注销); the server wants the word as confirmation. The token goes
 * with the account: it is forgotten so nothing is sent in the deleted account's name again.
 */
async function remove() {
  await request({ method: 'DELETE', path: '/me', data: { confirm: '注销' } });
  token.clear();
}

module.exports = { get, data, remove };
