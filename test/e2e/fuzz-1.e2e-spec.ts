import { fuzzRoutes } from './support/fuzz-routes';

// Fuzzed requests against every route, part 1 of 2 (the other part: fuzz-2.e2e-spec.ts); see support/fuzz-routes.ts.
fuzzRoutes(1, 2);
