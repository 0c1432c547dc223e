// One look for "loading", "nothing here" and "something failed" on every page, so a resident
// learns it once. The parent decides what the action does (retry, go bind, ...).
Component({
  properties: {
    status: { type: String, value: '' }, // 'loading' | 'empty' | 'error' | '' (render nothing)
    message: { type: String, value: '' },
    actionText: { type: String, value: '' },
  },
  methods: {
    onAction() {
      this.triggerEvent('action');
    },
  },
});
