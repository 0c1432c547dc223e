// A staff page whose token is missing or expired goes back to the staff sign-in page.
const { messageOf } = require('../../utils/errors');

const LOGIN_URL = '/staff/index/index';

/** The message to show for `err`; a 401 also sends the person to sign in again. */
function handle(err) {
  if (err && err.status === 401) wx.redirectTo({ url: LOGIN_URL });
  return messageOf(err);
}

module.exports = { handle, LOGIN_URL };
