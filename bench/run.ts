/** `npm run bench`: every benchmark, each rewriting its own section of BENCHMARKS.md. */
import { roundtrips } from './roundtrips';
import { sizes } from './sizes';

roundtrips();
sizes();
