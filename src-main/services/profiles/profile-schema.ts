// The profile schema lives in src-shared (the IPC contract carries profiles); main imports it here.
export * from '../../../src-shared/model/profile';
