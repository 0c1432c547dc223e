// The bearer token lives in storage so a cold start does not need a fresh wx.login.
const KEY = 'auth.session';

function get() {
  const session = wx.getStorageSync(KEY);
  if (!session || !session.token) return null;
  // Expired tokens are dropped here so the first request logs in instead of paying for a 401.
  if (session.expiresAt && Date.parse(session.expiresAt) <= Date.now()) return null;
  return session.token;
}

function set(token, expiresAt) {
  wx.setStorageSync(KEY, { token, expiresAt: expiresAt || null });
}

function clear() {
  wx.removeStorageSync(KEY);
}

module.exports = { get, set, clear, KEY };
