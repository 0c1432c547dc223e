const { request, login } = require('./request');
const token = require('./token');

/** Silent login; resolves with {token, expires_at, user}. Shared with request.js's 401 handling. */
function wechatLogin() {
  return login();
}

/** Local development only: the server answers 404 unless DEV_LOGIN is on. */
async function devLogin(openid) {
  const session = await request({ method: 'POST', path: '/auth/dev-login', data: { openid }, auth: false });
  token.set(session.token, session.expires_at);
  return session;
}

/** Revokes the token on the server when possible; the local token goes either way. */
async function logout() {
  try {
    if (token.get()) await request({ method: 'POST', path: '/auth/logout' });
  } finally {
    token.clear();
  }
}

function isLoggedIn() {
  return Boolean(token.get());
}

module.exports = { wechatLogin, devLogin, logout, isLoggedIn };
