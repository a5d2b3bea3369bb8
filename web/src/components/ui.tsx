// Small shared pieces: status and deadline badges, the problem bar, a data-loading hook.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import {
  Badge,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Title2,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { ApiError, fieldText, type Claim, type ClaimOutcome, type ClaimStatus } from '../api.js';
import { formatDate, formatRelative } from '../i18n/index.js';
import { now } from '../clock.js';

export const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '1200px' },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  grow: { flexGrow: 1 },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap', alignItems: 'flex-end' },
  col: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
  },
  dl: {
    display: 'grid',
    gridTemplateColumns: 'minmax(160px, max-content) 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
    '& dt': { color: tokens.colorNeutralForeground2, fontWeight: tokens.fontWeightSemibold },
    '& dd': { margin: 0, overflowWrap: 'anywhere' },
  },
  muted: { color: tokens.colorNeutralForeground2 },
  field: { minWidth: '260px', flexGrow: 1 },
  narrow: { maxWidth: '720px' },
  fieldset: {
    border: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    minWidth: 0,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0, marginBottom: tokens.spacingVerticalXS },
  required: { color: tokens.colorPaletteRedForeground3, paddingLeft: tokens.spacingHorizontalXS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

/**
 * A group of checkboxes with its label and error. Not a Fluent Field: a Field gives its
 * id and label to every control inside it, which suits one control, not a group.
 */
export function CheckGroup(props: {
  label: string;
  required?: boolean;
  error?: string;
  className?: string;
  children: ReactNode;
}) {
  const s = useStyles();
  return (
    <fieldset className={mergeClasses(s.fieldset, props.className)}>
      <legend className={s.legend}>
        {props.label}
        {props.required ? (
          <span aria-hidden="true" className={s.required}>
            *
          </span>
        ) : null}
      </legend>
      {props.children}
      {props.error ? (
        <Text role="alert" className={s.error}>
          {props.error}
        </Text>
      ) : null}
    </fieldset>
  );
}

type BadgeColor = 'informative' | 'brand' | 'warning' | 'success' | 'danger' | 'important' | 'severe';
type BadgeLook = { color: BadgeColor; appearance: 'tint' | 'outline' };

const STATUS_LOOK: Record<ClaimStatus, BadgeLook> = {
  draft: { color: 'informative', appearance: 'tint' },
  submitted: { color: 'brand', appearance: 'tint' },
  in_review: { color: 'brand', appearance: 'tint' },
  partner_action_required: { color: 'warning', appearance: 'tint' },
  approved: { color: 'success', appearance: 'tint' },
  rejected: { color: 'danger', appearance: 'tint' },
  disputed: { color: 'important', appearance: 'tint' },
  ended: { color: 'informative', appearance: 'tint' },
};

/** Issue 13 point 2: each way a claim ended has its own label and colour. */
const OUTCOME_LOOK: Record<ClaimOutcome, BadgeLook> = {
  withdrawn: { color: 'important', appearance: 'outline' },
  customer_denied: { color: 'severe', appearance: 'tint' },
  no_partner_response: { color: 'warning', appearance: 'outline' },
  rejected_by_reviewer: { color: 'danger', appearance: 'tint' },
  disassociated: { color: 'brand', appearance: 'outline' },
  ended: { color: 'informative', appearance: 'tint' },
};

/** The status in words; a rejected or ended claim says how it ended (its outcome). */
export function statusLabel(
  t: (k: string) => string,
  c: { status: ClaimStatus; outcome?: ClaimOutcome | null },
): string {
  return c.outcome ? t(`claims.outcome.${c.outcome}`) : t(`status.${c.status}`);
}

export function StatusBadge({ status, outcome }: { status: ClaimStatus; outcome?: ClaimOutcome | null }) {
  const { t } = useTranslation();
  const look = outcome ? OUTCOME_LOOK[outcome] : STATUS_LOOK[status];
  return (
    <Badge appearance={look.appearance} color={look.color} shape="rounded" data-testid="status-badge">
      {statusLabel(t, { status, outcome })}
    </Badge>
  );
}

/** The running deadline: overdue in red, otherwise "due in 3 days" with the date. */
export function DeadlineBadge({ claim }: { claim: Pick<Claim, 'dueAt' | 'overdue'> }) {
  const { t } = useTranslation();
  if (!claim.dueAt) return null;
  if (claim.overdue)
    return (
      <Badge
        appearance="filled"
        color="danger"
        shape="rounded"
        title={formatDate(claim.dueAt, true)}
        style={{ whiteSpace: 'nowrap' }}
      >
        {t('deadline.overdue', { date: formatDate(claim.dueAt) })}
      </Badge>
    );
  const soon = new Date(claim.dueAt).getTime() - now() < 2 * 86_400_000;
  return (
    <Badge
      appearance="outline"
      color={soon ? 'warning' : 'informative'}
      shape="rounded"
      title={formatDate(claim.dueAt, true)}
      style={{ whiteSpace: 'nowrap' }}
    >
      {t('deadline.due', { when: formatRelative(claim.dueAt) })}
    </Badge>
  );
}

/**
 * An API problem in the reader's language, by its stable code (issue 13: the server's English
 * `detail` is not shown in the banner; ProblemBar keeps it, with the request id, under a
 * collapsed "Details for support").
 */
export function problemText(e: unknown, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (e instanceof ApiError) {
    const known = e.code ? t(`errors.${e.code}`, { defaultValue: '' }) : '';
    if (known) return known;
    // A code this page has no words for: said by its HTTP status.
    return t(`errors.status.${e.status}`, { defaultValue: '' }) || t('errors.unknown');
  }
  return t('errors.unknown');
}

/** What support needs of a problem: the server's English detail and the request id. */
export function problemDetail(e: unknown): string {
  if (e instanceof ApiError)
    return [e.problem.code, e.problem.detail, e.problem.requestId && `request ${e.problem.requestId}`]
      .filter(Boolean)
      .join(' · ');
  return e instanceof Error ? e.message : String(e);
}

export { fieldText };

/** The claim changed since the page read it (412 on a stale If-Match). */
export const isStale = (e: unknown) => e instanceof ApiError && e.status === 412;

/**
 * An API problem; `listFields` also lists its field errors (where no field shows them).
 * A claim changed meanwhile (412) is a warning of its own, with a button to reload it
 * (`onReload`).
 */
export function ProblemBar({
  error,
  title,
  listFields,
  onReload,
}: {
  error: unknown;
  title?: string;
  listFields?: boolean;
  onReload?: () => void;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  if (isStale(error))
    return (
      <MessageBar intent="warning" role="alert" layout="multiline" data-testid="stale-claim">
        <MessageBarBody>
          <MessageBarTitle>{t('errors.staleTitle')}</MessageBarTitle> {t('errors.precondition_failed')}
        </MessageBarBody>
        {onReload ? (
          <MessageBarActions>
            <Button onClick={onReload} data-testid="reload-claim">
              {t('errors.reload')}
            </Button>
          </MessageBarActions>
        ) : null}
      </MessageBar>
    );
  const fields = listFields && error instanceof ApiError ? (error.problem.errors ?? []) : [];
  const detail = problemDetail(error);
  return (
    <MessageBar intent="error" role="alert" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title ?? t('errors.title')}</MessageBarTitle> {problemText(error, t)}
        {detail ? (
          <details data-testid="problem-details">
            <summary>{t('errors.details')}</summary>
            <span lang="en">{detail}</span>
          </details>
        ) : null}
        {fields.length ? (
          <ul>
            {fields.map((f) => (
              <li key={f.path + f.message}>
                {f.path}: {fieldText(f, t)}
              </li>
            ))}
          </ul>
        ) : null}
      </MessageBarBody>
    </MessageBar>
  );
}

/**
 * A success message, announced to screen readers (a polite live region that is always there).
 * `transient`: it goes after a few seconds (issue 13: "Saved." does not stay until the next
 * action); a new message (the text goes away and comes back) shows again.
 */
export function SuccessBar({ children, transient = false }: { children: ReactNode; transient?: boolean }) {
  const [gone, setGone] = useState(false);
  useEffect(() => {
    setGone(false);
    if (!transient || !children) return;
    const timer = setTimeout(() => setGone(true), 5000);
    return () => clearTimeout(timer);
  }, [children, transient]);
  return (
    <div role="status" aria-live="polite">
      {children && !gone ? (
        <MessageBar intent="success" data-testid="success-bar">
          <MessageBarBody>{children}</MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  const s = useStyles();
  return (
    <div className={s.header}>
      <Title2 as="h1" className={s.grow}>
        {children}
      </Title2>
      {actions}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return <Spinner label={t('common.loading')} />;
}

/** Loads data on mount and when `deps` change; `reload()` loads again. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const load = useCallback(fn, deps);
  const reload = useCallback(async () => {
    const n = ++seq.current;
    setLoading(true);
    try {
      const d = await load();
      if (n === seq.current) {
        setData(d);
        setError(null);
      }
    } catch (e) {
      if (n === seq.current) setError(e);
    } finally {
      if (n === seq.current) setLoading(false);
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}

/** A password input in its labelled field (sign-in, the password change, an admin's new password). */
export function PasswordField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  name?: string;
  hint?: string;
  error?: string;
  required?: boolean;
  className?: string;
}) {
  return (
    <Field
      label={props.label}
      hint={props.hint}
      required={props.required ?? true}
      validationMessage={props.error}
      className={props.className}
    >
      <Input
        type="password"
        name={props.name}
        autoComplete={props.autoComplete}
        value={props.value}
        onChange={(_, d) => props.onChange(d.value)}
      />
    </Field>
  );
}
