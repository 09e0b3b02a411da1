import { fuzzRoutes } from './support/fuzz-routes';

// Fuzzed requests against every route, part 2 of 2 (the other part: fuzz-1.e2e-spec.ts); see support/fuzz-routes.ts.
fuzzRoutes(2, 2);
