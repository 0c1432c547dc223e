// Large-text mode: an explicit choice in 我的 wins; until then we follow the WeChat font size
// setting, because many residents already enlarged it and should not have to find our switch.
const KEY = 'settings.largeText';
// WeChat's default font size setting is 16–17 px; anything above means the person enlarged it.
const SYSTEM_LARGE_FONT_PX = 18;

function systemFontSize() {
  try {
    const info = wx.getAppBaseInfo ? wx.getAppBaseInfo() : wx.getSystemInfoSync();
    return Number(info.fontSizeSetting) || 0;
  } catch (err) {
    return 0;
  }
}

function isLargeText() {
  const stored = wx.getStorageSync(KEY);
  if (stored === true || stored === false) return stored;
  return systemFontSize() >= SYSTEM_LARGE_FONT_PX;
}

function setLargeText(on) {
  wx.setStorageSync(KEY, Boolean(on));
}

module.exports = { isLargeText, setLargeText, KEY };
