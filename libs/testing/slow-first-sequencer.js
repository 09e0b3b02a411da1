// Jest runs the e2e specs it has timings for longest first, so the workers finish together. A clean clone
// (CI) has no timings: Jest falls back to file size, and the longest spec (fuzz: 10,000 requests in a
// 184-line file) started last and ran alone for over a minute at the end. These are the quiet-machine
// durations (seconds) of the specs that take longest; a spec not listed counts as short. Jest's own timings
// from an earlier run on the same machine, when it has them, win.
const { default: Sequencer } = require('@jest/test-sequencer');
const { basename } = require('node:path');

const SECONDS = {
  fuzz: 84,
  'exchange-sync-instances': 61,
  'backup-restore': 34,
  'embedded-default': 30,
  'embedded-lifecycle': 30,
  'exchange-sync-shared-account': 26,
  'broker-lost-orders': 25,
  console: 20,
  'exchange-sync': 20,
  'execution-broker': 11,
  'exchange-sync-runs': 9,
  execution: 9,
};
const SHORT = 8;

class SlowFirstSequencer extends Sequencer {
  time(test) {
    return super.time(test) ?? 1000 * (SECONDS[basename(test.path).replace(/\.e2e-spec\.ts$/, '')] ?? SHORT);
  }
}
module.exports = SlowFirstSequencer;
