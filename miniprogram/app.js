const auth = require('./services/auth');
const privacy = require('./utils/privacy');
const subscribe = require('./utils/subscribe');

App({
  onLaunch() {
    privacy.install();
    // Log in ahead of the first page's request so it does not wait for the code exchange, then
    // fetch the subscribe-message template ids the pages ask for (they must ask inside a tap).
    // Failure is fine here: request.js logs in again on demand and the page shows the error.
    const loggedIn = auth.isLoggedIn() ? Promise.resolve() : auth.wechatLogin();
    loggedIn.then(() => subscribe.refresh()).catch(() => {});
  },
});
