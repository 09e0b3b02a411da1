// Jest runs the e2e specs it has timings for longest first, so the workers finish together. A clean clone
// (CI) has no timings: Jest falls back to file size, and the longest spec (then one fuzz file: 10,000 requests in a
// 184-line file) started last and ran alone for over a minute at the end. These are the durations (seconds) of
// the specs that take longest in a quiet clean-clone CI run on 3 workers (2026-12-02, after a user's exchange sync
// stopped waiting 1 s on the client's rate limiter); a spec not listed counts as short. Jest's own timings
// from an earlier run on the same machine, when it has them, win.
const { default: Sequencer } = require('@jest/test-sequencer');
const { basename } = require('node:path');

const SECONDS = {
  'fuzz-2': 48,
  'fuzz-1': 44,
  'exchange-sync-instances': 37,
  'embedded-lifecycle': 36,
  console: 22,
  'broker-lost-orders': 21,
  'backup-restore': 21,
  'console-loans': 16,
  jobs: 14,
  'funds-notifications': 12,
  'embedded-default': 11,
  'exchange-sync-shared-account': 10,
};
const SHORT = 8;

class SlowFirstSequencer extends Sequencer {
  time(test) {
    return super.time(test) ?? 1000 * (SECONDS[basename(test.path).replace(/\.e2e-spec\.ts$/, '')] ?? SHORT);
  }
}
module.exports = SlowFirstSequencer;
