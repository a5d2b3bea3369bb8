// Change one's own password (POST /api/v1/auth/password). Forced after a password someone
// else set (the bootstrap's printed one, or an admin's with mustChangePassword): then it is
// the only page, and every other route of the API answers 403 password_change_required.
import { useState, type FormEvent } from 'react';
import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type User } from '../../api.js';
import { LanguagePicker } from '../../components/LanguagePicker.js';
import { PageTitle, PasswordField, ProblemBar, SuccessBar, useStyles } from '../../components/ui.js';

const useForcedStyles = makeStyles({
  main: { maxWidth: '720px', margin: '0 auto', padding: tokens.spacingHorizontalXXL },
});

export function PasswordForm({ forced, onChanged }: { forced?: boolean; onChanged?: (u: User) => void }) {
  const s = useStyles();
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const mismatch = repeat !== '' && repeat !== next;
  const fieldError = (path: string) => (error instanceof ApiError ? error.fieldErrors()[path] : undefined);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      const user = await api.post<User>('/api/v1/auth/password', {
        currentPassword: current,
        newPassword: next,
      });
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
      onChanged?.(user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className={s.col} onSubmit={(e) => void submit(e)} aria-labelledby="password-title">
      <Text>{forced ? t('password.forcedIntro') : t('password.intro')}</Text>
      <SuccessBar transient>{done ? t('password.changed') : null}</SuccessBar>
      <ProblemBar error={error} />
      <PasswordField
        label={t('password.current')}
        name="current-password"
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
        error={fieldError('currentPassword')}
      />
      <PasswordField
        label={t('password.new')}
        hint={t('password.newHint')}
        name="new-password"
        autoComplete="new-password"
        value={next}
        onChange={setNext}
        error={fieldError('newPassword')}
      />
      <PasswordField
        label={t('password.repeat')}
        name="repeat-password"
        autoComplete="new-password"
        value={repeat}
        onChange={setRepeat}
        error={mismatch ? t('password.mismatch') : undefined}
      />
      <div className={s.row}>
        <Button appearance="primary" type="submit" disabled={busy || mismatch || !current || !next}>
          {busy ? t('common.working') : t('password.submit')}
        </Button>
      </div>
    </form>
  );
}

export default function PasswordPage() {
  const s = useStyles();
  const { t } = useTranslation();
  return (
    <div className={s.page}>
      <PageTitle>
        <span id="password-title">{t('password.title')}</span>
      </PageTitle>
      <PasswordForm />
    </div>
  );
}

/** The only page of a user who must change its password first. */
export function ForcedPasswordPage({
  onChanged,
  onSignOut,
}: {
  onChanged: (u: User) => void;
  onSignOut: () => void;
}) {
  const s = useStyles();
  const f = useForcedStyles();
  const { t } = useTranslation();
  return (
    <main className={f.main}>
      <div className={s.page}>
        <PageTitle
          actions={
            <>
              <LanguagePicker />
              <Button onClick={onSignOut}>{t('shell.signOut')}</Button>
            </>
          }
        >
          <span id="password-title">{t('password.title')}</span>
        </PageTitle>
        <div className={s.card}>
          <PasswordForm forced onChanged={onChanged} />
        </div>
      </div>
    </main>
  );
}
