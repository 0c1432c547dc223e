// wx.showModal as a promise of the person's choice: true only when they confirmed. A modal
// that fails to open counts as "not confirmed", so nothing irreversible happens by accident.
function confirm(options) {
  return new Promise((resolve) => {
    wx.showModal(Object.assign({}, options, {
      success: (res) => resolve(Boolean(res.confirm)),
      fail: () => resolve(false),
    }));
  });
}

module.exports = { confirm };
