import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import {
  Button,
  FluentProvider,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
  webLightTheme,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import {
  api,
  isPartner,
  isPartnerWriter,
  isPlatformAdmin,
  isReviewer,
  onUnauthenticated,
  type Me,
} from './api.js';
import { changeLanguage, currentLanguage, matchLanguage } from './i18n/index.js';
import { LanguagePicker } from './components/LanguagePicker.js';
import { match, navigate, useLocation } from './components/router.js';
import { SessionContext } from './components/session.js';
import { Loading } from './components/ui.js';
import { LoginPage } from './pages/login/LoginPage.js';
import PasswordPage, { ForcedPasswordPage } from './pages/account/PasswordPage.js';
import { syncServerClock } from './clock.js';

// Pages load on demand: the sign-in page and the shell are all the first download needs.
const ClaimsListPage = lazy(() => import('./pages/claims/ClaimsListPage.js'));
const NewClaimWizard = lazy(() => import('./pages/claims/wizard/NewClaimWizard.js'));
const ImportClaimsPage = lazy(() => import('./pages/claims/ImportClaimsPage.js'));
const ClaimPage = lazy(() => import('./pages/claims/ClaimPage.js'));
const ReviewQueuePage = lazy(() => import('./pages/review/ReviewQueuePage.js'));
const ConsentPage = lazy(() => import('./pages/consent/ConsentPage.js'));
const AdminPage = lazy(() => import('./pages/admin/AdminPage.js'));
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage.js'));

const phone = '@media (max-width: 720px)';

const useStyles = makeStyles({
  root: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  bar: {
    [phone]: { gap: tokens.spacingHorizontalS, padding: tokens.spacingVerticalS },
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    flexWrap: 'wrap',
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400, color: 'inherit' },
  nav: { display: 'flex', gap: tokens.spacingHorizontalXS, flexGrow: 1, flexWrap: 'wrap' },
  navLink: {
    color: tokens.colorNeutralForegroundOnBrand,
    textDecoration: 'none',
    padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    ':hover': { backgroundColor: tokens.colorBrandBackgroundHover },
    ':focus-visible': { outline: `2px solid ${tokens.colorNeutralForegroundOnBrand}` },
  },
  navActive: { backgroundColor: tokens.colorBrandBackgroundPressed, fontWeight: tokens.fontWeightSemibold },
  user: { color: 'inherit' },
  // Issue 13 point 8: nothing widens the page past a phone's window. Tab lists, and the
  // block that holds a table, scroll within themselves; long words break.
  main: {
    padding: tokens.spacingHorizontalXL,
    minWidth: 0,
    overflowWrap: 'anywhere',
    '& [role="tablist"]': { overflowX: 'auto', maxWidth: '100%', flexWrap: 'nowrap' },
    '& :has(> table)': { overflowX: 'auto', maxWidth: '100%' },
    '& table': { overflowWrap: 'normal' },
    [phone]: { padding: tokens.spacingHorizontalM },
  },
  skip: {
    position: 'absolute',
    left: '-10000px',
    ':focus': { left: tokens.spacingHorizontalM, top: tokens.spacingVerticalM, zIndex: 10 },
  },
  signOut: { color: tokens.colorNeutralForegroundOnBrand },
});

function NavLink({ to, children, active }: { to: string; children: ReactNode; active: boolean }) {
  const s = useStyles();
  return (
    <a
      href={to}
      className={mergeClasses(s.navLink, active && s.navActive)}
      aria-current={active ? 'page' : undefined}
      onClick={(e) => {
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/** The user's saved language wins over the browser's, unless a language was picked here. */
function applyUserLanguage(m: Me): void {
  const userLang = matchLanguage(m.language);
  let picked: string | null = null;
  try {
    picked = localStorage.getItem('cpor.language');
  } catch {
    picked = null;
  }
  if (userLang && !picked && userLang !== currentLanguage()) void changeLanguage(userLang, false);
}

function homeFor(me: Me): string {
  if (isReviewer(me)) return '/review';
  if (isPartner(me)) return '/claims';
  if (isPlatformAdmin(me)) return '/admin/organizations';
  return '/claims';
}

function Shell({ me, onSignOut, children }: { me: Me; onSignOut: () => void; children: ReactNode }) {
  const s = useStyles();
  const { t } = useTranslation();
  const { path } = useLocation();
  const items: { to: string; label: string; prefix: string }[] = [];
  if (isReviewer(me)) items.push({ to: '/review', label: t('nav.review'), prefix: '/review' });
  if (isPartner(me) || isReviewer(me))
    items.push({ to: '/claims', label: t('nav.claims'), prefix: '/claims' });
  if (isPartner(me) || isReviewer(me) || isPlatformAdmin(me))
    items.push({ to: '/dashboard', label: t('nav.dashboard'), prefix: '/dashboard' });
  if (isPlatformAdmin(me))
    items.push({ to: '/admin/organizations', label: t('nav.admin'), prefix: '/admin' });
  return (
    <div className={s.root}>
      <a href="#main" className={s.skip}>
        {t('shell.skip')}
      </a>
      <header className={s.bar}>
        <span className={s.brand}>{t('shell.brand')}</span>
        <nav aria-label={t('shell.mainNav')} className={s.nav}>
          {items.map((i) => (
            <NavLink key={i.to} to={i.to} active={path.startsWith(i.prefix)}>
              {i.label}
            </NavLink>
          ))}
        </nav>
        <LanguagePicker />
        <Text className={s.user} data-testid="user-name">
          {me.name}
          {me.organization ? ` · ${me.organization.name}` : ''}
        </Text>
        <NavLink to="/account/password" active={path === '/account/password'}>
          {t('shell.password')}
        </NavLink>
        <Button appearance="transparent" className={s.signOut} onClick={onSignOut}>
          {t('shell.signOut')}
        </Button>
      </header>
      <main id="main" className={s.main}>
        <Suspense fallback={<Loading />}>{children}</Suspense>
      </main>
    </div>
  );
}

function Routes({ me }: { me: Me }) {
  const { path } = useLocation();
  let m: Record<string, string> | null;
  if (path === '/' || path === '/login') {
    navigate(homeFor(me), true);
    return null;
  }
  if (path === '/claims') return <ClaimsListPage />;
  // One wizard instance (key "wizard") from /claims/new to the draft's own URL: creating the
  // draft changes the URL, not what is on the screen.
  if (path === '/claims/new') return isPartnerWriter(me) ? <NewClaimWizard key="wizard" /> : <NotFound />;
  if (path === '/claims/import') return isPartnerWriter(me) ? <ImportClaimsPage /> : <NotFound />;
  if ((m = match('/claims/:id/edit', path) ?? match('/claims/:id/edit/:step', path)))
    return <NewClaimWizard key="wizard" existingId={m.id ?? ''} step={m.step} />;
  if ((m = match('/claims/:id', path))) return <ClaimPage key={m.id} id={m.id ?? ''} />;
  if (path === '/review') return <ReviewQueuePage />;
  if (path === '/dashboard') return <DashboardPage />;
  if (path === '/account/password') return <PasswordPage />;
  if ((m = match('/admin/:section', path))) return <AdminPage section={m.section ?? 'organizations'} />;
  return <NotFound />;
}

function NotFound() {
  const { t } = useTranslation();
  return <Text as="p">{t('errors.pageNotFound')}</Text>;
}

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);
  const { path } = useLocation();
  const { t } = useTranslation();
  const consent = match('/consent/:token', path);

  useEffect(() => {
    if (consent) {
      setChecked(true);
      return;
    }
    let live = true;
    api
      .get<Me>('/api/v1/me', { quiet401: true })
      .then((m) => {
        syncServerClock(m.now);
        if (!live) return;
        setMe(m);
        applyUserLanguage(m);
      })
      .catch(() => live && setMe(null))
      .finally(() => live && setChecked(true));
    return () => {
      live = false;
    };
    // the session is probed once per page load
  }, []);

  useEffect(() => onUnauthenticated(() => setMe(null)), []);

  useEffect(() => {
    document.title = `${t('shell.brand')} - ${t('nav.claims')}`;
  }, [t]);

  const signOut = () => {
    void api
      .post('/api/v1/auth/logout')
      .catch(() => undefined)
      .finally(() => {
        setMe(null);
        navigate('/login');
      });
  };

  let content: ReactNode;
  if (consent)
    content = (
      <Suspense fallback={<Loading />}>
        <ConsentPage token={consent.token ?? ''} />
      </Suspense>
    );
  else if (!checked) content = <Loading />;
  else if (!me)
    content = (
      <LoginPage
        onSignedIn={(m) => {
          syncServerClock(m.now);
          setMe(m);
          applyUserLanguage(m);
        }}
      />
    );
  else if (me.mustChangePassword)
    content = (
      <ForcedPasswordPage
        onChanged={(u) => setMe({ ...me, ...u, mustChangePassword: false })}
        onSignOut={signOut}
      />
    );
  else
    content = (
      <Shell me={me} onSignOut={signOut}>
        <Routes me={me} />
      </Shell>
    );

  return (
    <FluentProvider theme={webLightTheme}>
      <SessionContext.Provider value={{ me, setMe }}>{content}</SessionContext.Provider>
    </FluentProvider>
  );
}
