import { describe, expect, it } from 'vitest';
import { ContractError, parseInvoke } from '../../src-shared/ipc/contract';

describe('IPC contract parsing', () => {
  it('rejects unknown channels by name', () => {
    expect(() => parseInvoke('fs:readAll', {})).toThrow(new ContractError('unknown IPC channel "fs:readAll"'));
  });
  it('rejects prototype keys posing as channels', () => {
    expect(() => parseInvoke('toString', {})).toThrow(ContractError);
  });
  it('returns typed input for a valid message', () => {
    expect(parseInvoke('app:info', {})).toEqual({ channel: 'app:info', input: {} });
  });
});
