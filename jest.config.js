module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/tests/miniprogram'],
  testMatch: ['**/*.test.js'],
  setupFilesAfterEnv: ['<rootDir>/tests/miniprogram/helpers/setup.js'],
  // tdesign's bundled tslib lives in a nested miniprogram_npm folder, as WeChat resolves it.
  moduleDirectories: ['node_modules', 'miniprogram_npm'],
  // babel-jest skips node_modules by default; the copied tdesign files are outside it anyway.
  transformIgnorePatterns: ['/node_modules/'],
  // miniprogram_npm is a build product; without this jest-haste-map warns about duplicate package names.
  modulePathIgnorePatterns: ['<rootDir>/node_modules/tdesign-miniprogram/'],
};
