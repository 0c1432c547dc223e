// Staff sign in with their username and password. The server has no endpoint that binds a WeChat
// openid to a staff account, so the staff token is kept (apart from the resident's) until it expires.
const { request } = require('./request');
const token = require('./token');

async function login(username, password) {
  const session = await request({
    method: 'POST', path: '/auth/staff-login', data: { username, password }, auth: false,
  });
  token.staff.set(session.token, session.expires_at);
  return session;
}

async function logout() {
  try {
    if (token.staff.get()) await request({ method: 'POST', path: '/auth/logout', as: 'staff' });
  } finally {
    token.staff.clear();
  }
}

function isLoggedIn() {
  return Boolean(token.staff.get());
}

/** The staff member: {kind: 'staff', username, display_name, role, scope}. */
function me() {
  return request({ path: '/me', as: 'staff' });
}

module.exports = { login, logout, isLoggedIn, me };
