const { request } = require('./request');

/** The signed-in person: a resident with memberships, or staff with a scope. */
function get() {
  return request({ path: '/me' });
}

module.exports = { get };
