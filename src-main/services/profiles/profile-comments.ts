// What an exported config keeps for the app alone, in comment lines that lsyncd and the Lua loader
// both skip: `-- tidemark profile: {"enabled":false}` once, and `-- tidemark pairing: {...}` on
// the line just above a sync{} whose ssh target pairing set up. Pure.
import * as v from 'valibot';
import { ConfigError } from '../../core/config/model';
import { SshTargetSchema } from './profile-schema';

export const PROFILE_COMMENT = '-- tidemark profile: ';
export const PAIRING_COMMENT = '-- tidemark pairing: ';

const ProfileMetaSchema = v.strictObject({ enabled: v.boolean() });
const PairingMetaSchema = v.strictObject({ keyName: SshTargetSchema.entries.keyName, knownHosts: SshTargetSchema.entries.knownHosts });

export type ProfileMeta = v.InferOutput<typeof ProfileMetaSchema>;
export type PairingMeta = v.InferOutput<typeof PairingMetaSchema>;

function parseComment<T>(schema: v.GenericSchema<T>, text: string, file: string, line: number): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError({ file, line }, `the tidemark comment is not JSON: ${(error as Error).message}`);
  }
  const result = v.safeParse(schema, value);
  if (!result.success) {
    const issue = result.issues[0];
    const key = issue?.path?.map((item) => String(item.key)).join('.') ?? '';
    throw new ConfigError({ file, line }, `the tidemark comment is not valid${key ? ` at ${key}` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  return result.output;
}

/** The profile-level comment, with its line, or undefined. */
export function readProfileComment(source: string, file: string): { meta: ProfileMeta; line: number } | undefined {
  const lines = source.split('\n');
  const index = lines.findIndex((text) => text.startsWith(PROFILE_COMMENT));
  if (index < 0) return undefined;
  return { meta: parseComment(ProfileMetaSchema, (lines[index] ?? '').slice(PROFILE_COMMENT.length), file, index + 1), line: index + 1 };
}

/** The pairing comment on the line above `callLine`, with its line, or undefined. */
export function readPairingComment(source: string, callLine: number, file: string): { meta: PairingMeta; line: number } | undefined {
  const text = source.split('\n')[callLine - 2];
  if (text === undefined || !text.startsWith(PAIRING_COMMENT)) return undefined;
  return { meta: parseComment(PairingMetaSchema, text.slice(PAIRING_COMMENT.length), file, callLine - 1), line: callLine - 1 };
}

/** The comment line for the profile-level values. */
export function profileComment(meta: ProfileMeta): string {
  return `${PROFILE_COMMENT}${JSON.stringify(meta)}`;
}

/** The comment line for a target's pairing, or undefined when pairing recorded nothing. */
export function pairingComment(meta: PairingMeta): string | undefined {
  const present = Object.fromEntries(Object.entries(meta).filter(([, value]) => value !== undefined));
  return Object.keys(present).length === 0 ? undefined : `${PAIRING_COMMENT}${JSON.stringify(present)}`;
}
