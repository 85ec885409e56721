// How every browser run here starts Debian's Chromium: headless, and
// without the background connections this machine's closed network refuses
// (see the environment notes): the browser suite and first-visit.mjs.
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
