// The settings form's draft: the patch holds only what changed, fields that do not parse are
// named, and a change from another face reaches only the fields the person has not touched.
import { describe, expect, it } from 'vitest';
import { DEFAULT_APP_SETTINGS, type AppSettings } from '../../src-shared/model/app-settings';
import { draftOf, isDirty, patchOf, rebaseDraft, type SettingsDraft } from '../../src-renderer/features/settings/settings-draft';

/** The defaults with `change` applied (notifications and defaults merged key by key). */
function settings(change: Partial<AppSettings> = {}): AppSettings {
  return { ...DEFAULT_APP_SETTINGS, ...change, notifications: { ...DEFAULT_APP_SETTINGS.notifications, ...change.notifications }, defaults: { ...DEFAULT_APP_SETTINGS.defaults, ...change.defaults } };
}

/** The draft of the default settings with `edit` applied. */
function edited(edit: Partial<SettingsDraft>): SettingsDraft {
  return { ...draftOf(settings()), ...edit };
}

describe('patchOf', () => {
  const cases: { description: string; draft: SettingsDraft; expected: ReturnType<typeof patchOf> }[] = [
    { description: 'nothing edited: nothing to send', draft: edited({}), expected: { ok: true, changed: false, patch: {} } },
    { description: 'one notification', draft: edited({ notifications: { ...DEFAULT_APP_SETTINGS.notifications, decision: false } }), expected: { ok: true, changed: true, patch: { notifications: { decision: false } } } },
    { description: 'the delay only', draft: edited({ delay: '2.5' }), expected: { ok: true, changed: true, patch: { defaults: { delay: 2.5 } } } },
    { description: 'a delay typed with spaces, equal to the saved one', draft: edited({ delay: ' 1 ' }), expected: { ok: true, changed: false, patch: {} } },
    { description: 'excludes from lines', draft: edited({ excludes: '*.tmp\n\n/build/' }), expected: { ok: true, changed: true, patch: { defaults: { excludes: ['*.tmp', '/build/'] } } } },
    { description: 'a breaker limit off', draft: edited({ maxDeletes: { off: true, text: '1000' } }), expected: { ok: true, changed: true, patch: { defaults: { maxDeletes: false } } } },
    { description: 'lsyncd configs', draft: edited({ lsyncdConfigs: ['/etc/lsyncd.conf.lua'] }), expected: { ok: true, changed: true, patch: { lsyncdConfigs: ['/etc/lsyncd.conf.lua'] } } },
    { description: 'a delay that is no number', draft: edited({ delay: 'soon' }), expected: { ok: false, problems: { delay: "'soon' is not a number" } } },
    { description: 'an empty limit (the defaults have no default)', draft: edited({ maxDeletes: { off: false, text: '' } }), expected: { ok: false, problems: { maxDeletes: 'enter a number' } } },
    { description: 'a share above 100 and a fractional count', draft: edited({ maxDeletePercent: { off: false, text: '150' }, maxDeletes: { off: false, text: '1.5' } }), expected: { ok: false, problems: { maxDeletePercent: 'must be at most 100', maxDeletes: 'enter a whole number' } } },
  ];
  for (const { description, draft, expected } of cases) it(description, () => expect(patchOf(settings(), draft)).toEqual(expected));
});

describe('rebaseDraft', () => {
  it('takes a change made elsewhere into untouched fields and keeps the edited ones', () => {
    const before = settings();
    const after = settings({ notifications: { ...before.notifications, halt: false }, defaults: { ...before.defaults, delay: 9 } });
    const draft = edited({ delay: '3', notifications: { ...before.notifications, error: false } });
    const rebased = rebaseDraft(draft, before, after);
    expect(rebased.delay).toBe('3');
    expect(rebased.notifications).toEqual({ ...before.notifications, halt: false, error: false });
    expect(patchOf(after, rebased)).toEqual({ ok: true, changed: true, patch: { notifications: { error: false }, defaults: { delay: 3 } } });
  });

  it('an untouched draft becomes the new settings', () => {
    const after = settings({ lsyncdConfigs: ['/a.lua'] });
    const rebased = rebaseDraft(draftOf(settings()), settings(), after);
    expect(rebased).toEqual(draftOf(after));
    expect(isDirty(after, rebased)).toBe(false);
  });
});
