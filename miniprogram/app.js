const auth = require('./services/auth');
const privacy = require('./utils/privacy');

App({
  onLaunch() {
    privacy.install();
    // Log in ahead of the first page's request so it does not wait for the code exchange.
    // Failure is fine here: request.js logs in again on demand and the page shows the error.
    if (!auth.isLoggedIn()) auth.wechatLogin().catch(() => {});
  },
});
