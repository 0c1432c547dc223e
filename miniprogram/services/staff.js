// Staff bind their WeChat account to their staff account once, with the password
// (POST /auth/staff-bind); after that the workbench opens with WeChat alone
// (POST /auth/staff-wechat-login). The staff token is kept apart from the resident's: a committee
// member is usually also a resident. Password sign-in stays for when WeChat is unavailable.
const { request, wxLogin } = require('./request');
const token = require('./token');

function keep(session) {
  token.staff.set(session.token, session.expires_at);
  return session;
}

async function login(username, password) {
  return keep(await request({
    method: 'POST', path: '/auth/staff-login', data: { username, password }, auth: false,
  }));
}

/** With a fresh wx.login code; rejects with ApiError 404 `staff_not_bound` when not bound yet. */
async function wechatLogin() {
  const code = await wxLogin();
  return keep(await request({
    method: 'POST', path: '/auth/staff-wechat-login', data: { code }, auth: false,
  }));
}

/** Binds this WeChat account to the staff account (once) and signs in. */
async function bind(username, password) {
  const code = await wxLogin();
  return keep(await request({
    method: 'POST', path: '/auth/staff-bind', data: { code, username, password }, auth: false,
  }));
}

/** Removes the binding and ends the staff session: the next visit asks for the password again. */
async function unbind() {
  await request({ method: 'POST', path: '/auth/staff-unbind', as: 'staff' });
  await logout();
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

module.exports = { login, wechatLogin, bind, unbind, logout, isLoggedIn, me };
