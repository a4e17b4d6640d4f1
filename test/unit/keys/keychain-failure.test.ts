import { describe, expect, it } from 'vitest';
import { explainKeychainFailure } from '../../../src-main/keys/keychain-failure';

const NO_BUS = 'Cannot autolaunch D-Bus without X11 $DISPLAY';
const LOCKED = 'Object does not exist at path "/org/freedesktop/secrets/collection/login"';

const cases: { description: string; message: string; env: Record<string, string>; expected: RegExp[] }[] = [
  { description: 'no D-Bus names the session bus to start', message: NO_BUS, env: {}, expected: [/D-Bus session/, /dbus-run-session/, /--key-store file/] },
  { description: 'no login keyring names what to unlock', message: LOCKED, env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' }, expected: [/locked or missing/, /unlock/, /--key-store file/] },
  { description: 'under systemd, no D-Bus says the file store is what works', message: NO_BUS, env: { INVOCATION_ID: 'abc' }, expected: [/systemd/, /--key-store file/, /XDG_STATE_HOME\/tidemark\/keys/] },
  { description: 'under systemd, a missing keyring says the same', message: LOCKED, env: { JOURNAL_STREAM: '8:1' }, expected: [/systemd/, /--key-store file/] },
  { description: 'anything else keeps the first line of keytar\'s message', message: 'Some other failure\nwith detail', env: {}, expected: [/Some other failure/, /--key-store file/] },
];

describe('explainKeychainFailure', () => {
  for (const testCase of cases) {
    it(testCase.description, () => {
      const line = explainKeychainFailure(testCase.message, testCase.env);
      expect(line).not.toContain('\n');
      for (const pattern of testCase.expected) expect(line).toMatch(pattern);
    });
  }
});
