// The mass-delete breaker at its defaults on a local target (support/breaker-suite.ts).
import { describeBreaker } from './support/breaker-suite';
import { startLocalMirror } from './support/local-mirror';
import { safetyKit } from './support/safety-kit';

describeBreaker('local mirror', safetyKit(startLocalMirror, 20_000));
