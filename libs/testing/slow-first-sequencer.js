// Jest runs the e2e specs it has timings for longest first, so the workers finish together. A clean clone
// (CI) has no timings: Jest falls back to file size, and the longest spec (then one fuzz file: 10,000 requests in a
// 184-line file) started last and ran alone for over a minute at the end. These are the durations (seconds) of
// the specs that take longest in a quiet clean-clone CI run on 3 workers; a spec not listed counts as short. Jest's own timings
// from an earlier run on the same machine, when it has them, win.
const { default: Sequencer } = require('@jest/test-sequencer');
const { basename } = require('node:path');

const SECONDS = {
  'exchange-sync-instances': 42,
  'embedded-lifecycle': 28,
  console: 26,
  'fuzz-1': 25,
  'fuzz-2': 25,
  'console-loans': 22,
  'broker-lost-orders': 21,
  'exchange-sync-shared-account': 21,
  'exchange-sync': 18,
  'backup-restore': 17,
  'embedded-default': 17,
  'exchange-sync-ccxt': 17,
  'funds-notifications': 13,
  jobs: 12,
  'execution-broker': 11,
  'exchange-sync-runs': 8,
  execution: 8,
};
const SHORT = 8;

class SlowFirstSequencer extends Sequencer {
  time(test) {
    return super.time(test) ?? 1000 * (SECONDS[basename(test.path).replace(/\.e2e-spec\.ts$/, '')] ?? SHORT);
  }
}
module.exports = SlowFirstSequencer;
