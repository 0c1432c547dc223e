// Bearer tokens live in storage so a cold start does not need a fresh login. The resident's token
// (from wx.login) and a staff member's (from username/password) are kept apart: a committee member
// is usually also a resident, and logging out of one must not end the other.
function store(KEY) {
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

  return { get, set, clear, KEY };
}

module.exports = Object.assign(store('auth.session'), { staff: store('auth.staff-session') });
