// WeChat's required privacy guide: before a privacy-covered API (location, photos, phone number)
// runs for the first time, the person must agree through a button with
// open-type="agreePrivacyAuthorization". Put one of these on every page that may call such an API.
const privacy = require('../../utils/privacy');

Component({
  data: {
    visible: false,
    contractName: '《用户隐私保护指引》',
  },
  lifetimes: {
    attached() {
      this.handler = (resolve) => this.ask(resolve);
      this.unregister = privacy.register(this.handler);
    },
    detached() {
      if (this.unregister) this.unregister();
      // A page closed mid-question must not leave the API call waiting forever.
      this.answer({ event: 'disagree' });
    },
  },
  pageLifetimes: {
    show() {
      // The page coming back to the front owns the question again.
      if (this.handler) this.unregister = privacy.register(this.handler);
    },
  },
  methods: {
    ask(resolve) {
      this.resolve = resolve;
      this.setData({ visible: true });
      if (typeof wx.getPrivacySetting === 'function') {
        wx.getPrivacySetting({
          success: (res) => {
            if (res.privacyContractName) this.setData({ contractName: res.privacyContractName });
          },
        });
      }
    },
    answer(result) {
      const resolve = this.resolve;
      this.resolve = null;
      if (resolve) resolve(result);
      if (this.data.visible) this.setData({ visible: false });
    },
    onOpenContract() {
      wx.openPrivacyContract({});
    },
    onAgree() {
      this.answer({ buttonId: 'privacy-agree', event: 'agree' });
    },
    onDisagree() {
      this.answer({ event: 'disagree' });
    },
  },
});
