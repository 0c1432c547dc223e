// API base URL per mini-program environment. trial/release hosts are placeholders until the
// production domain is registered in the WeChat admin console (request 合法域名 must be HTTPS).
const BASE_URLS = {
  develop: 'http://127.0.0.1:5000/api/v1',
  trial: 'https://trial.example.invalid/api/v1',
  release: 'https://api.example.invalid/api/v1',
};

const REQUEST_TIMEOUT_MS = 15000;

function envVersion() {
  try {
    const version = wx.getAccountInfoSync().miniProgram.envVersion;
    return BASE_URLS[version] ? version : 'develop';
  } catch (err) {
    // Older base libraries lack getAccountInfoSync; DevTools is the only place that happens.
    return 'develop';
  }
}

function baseUrl() {
  return BASE_URLS[envVersion()];
}

module.exports = { BASE_URLS, REQUEST_TIMEOUT_MS, envVersion, baseUrl };
