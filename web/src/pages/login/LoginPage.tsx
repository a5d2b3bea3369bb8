import { useState, type FormEvent } from 'react';
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Title2,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, ApiError, setCsrfToken, type Me } from '../../api.js';
import { LanguagePicker } from '../../components/LanguagePicker.js';
import { PasswordField, ProblemBar } from '../../components/ui.js';

const useStyles = makeStyles({
  wrap: {
    minHeight: '100vh',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    backgroundColor: tokens.colorNeutralBackground2,
  },
  card: {
    width: 'min(420px, 92vw)',
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalXXL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusXLarge,
    boxShadow: tokens.shadow16,
  },
  top: { display: 'flex', justifyContent: 'flex-end' },
});

export function LoginPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const s = useStyles();
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // The two refusals of a sign-in, in the reader's language (the server's detail is English):
  // a wrong password, and a disabled account or organization (issue 13 point 10).
  const refusal =
    error instanceof ApiError && (error.status === 401 || error.status === 403)
      ? t(error.status === 401 ? 'login.wrong' : 'login.disabled')
      : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<{ csrfToken?: string }>(
        '/api/v1/auth/login',
        { email, password },
        { quiet401: true },
      );
      setCsrfToken(res.csrfToken ?? null);
      const me = await api.get<Me>('/api/v1/me', { quiet401: true });
      onSignedIn(me);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className={s.wrap}>
      <form className={s.card} onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <div className={s.top}>
          <LanguagePicker />
        </div>
        <Title2 as="h1" id="signin-title">
          {t('login.title')}
        </Title2>
        <Text>{t('login.intro')}</Text>
        {refusal ? (
          <MessageBar intent="error" role="alert" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{t('login.failed')}</MessageBarTitle> {refusal}
            </MessageBarBody>
          </MessageBar>
        ) : (
          <ProblemBar error={error} title={t('login.failed')} />
        )}
        <Field label={t('login.email')} required>
          <Input
            type="email"
            name="email"
            autoComplete="username"
            value={email}
            onChange={(_, d) => setEmail(d.value)}
          />
        </Field>
        <PasswordField
          label={t('login.password')}
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        <Button appearance="primary" type="submit" disabled={busy}>
          {busy ? t('common.working') : t('login.submit')}
        </Button>
      </form>
    </main>
  );
}
