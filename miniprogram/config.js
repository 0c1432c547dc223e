// API base URL per mini-program environment. trial/release hosts are placeholders until the
// production domain is registered in the WeChat admin console (request 合法域名 must be HTTPS).
const BASE_URLS = {
  develop: 'http://127.0.0.1:5000/api/v1',
  trial: 'https://trial.example.invalid/api/v1',
  release: 'https://api.example.invalid/api/v1',
};

const REQUEST_TIMEOUT_MS = 15000;

// Which subscribe-message kinds to ask for at the moments a resident acts. The template ids
// themselves come from the server (GET /wechat/templates, see utils/subscribe.js).
const SUBSCRIBE_MOMENTS = {
  report: ['report_status'],
  survey: ['survey_opened', 'report_status'],
};

// Emergencies are not reports: the 随手拍 page offers these calls instead.
const EMERGENCY_NUMBERS = [
  { number: '110', label: '报警电话 110' },
  { number: '119', label: '火警电话 119' },
];

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

module.exports = {
  BASE_URLS, REQUEST_TIMEOUT_MS, SUBSCRIBE_MOMENTS, EMERGENCY_NUMBERS, envVersion, baseUrl,
};
