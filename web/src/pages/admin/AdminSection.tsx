// The one shape of every administration section: a table of what exists (with each row's
// buttons) above the form that adds or changes one. Each section (a file of its own, listed
// in sections.ts) gives its columns, its form's fields and what saving does.
import { useRef, useState, type ReactNode } from 'react';
import {
  Button,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { ApiError, fieldText, type ProblemField } from '../../api.js';
import { Loading, ProblemBar, SuccessBar, useStyles } from '../../components/ui.js';

export interface Column<T> {
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
}

type T = (k: string, o?: Record<string, unknown>) => string;
const dotted = (path: string) => path.replace(/^\/+/, '').replace(/\//g, '.');

/**
 * A field problem of an admin form in the user's language (issue 13 point 10): the server's
 * stable code and parameters (issue 8 point 4, the claim wizard's fieldText), and for the
 * rules the admin forms check beyond the schema (`taken`), the rule in words of its own.
 */
export function adminFieldText(e: ProblemField, t: T): string {
  const field = dotted(e.path).split('.').at(-1);
  if (field === 'mpnId' && e.code === 'invalid_format') return t('admin.check.mpnId');
  if (field === 'mpnId' && e.code === 'taken') return t('admin.check.mpnTaken');
  if (field === 'email' && e.code === 'taken') return t('admin.check.emailTaken');
  if (field === 'country' && e.code !== 'required') return t('admin.check.country');
  if (field === 'tenantId' && e.code === 'invalid_format') return t('admin.check.tenantId');
  // The catalog's product ID is the one `id` an admin form types.
  if (field === 'id' && e.code === 'invalid_format') return t('admin.check.productId');
  return fieldText(e, t);
}

/** A section's form state: busy while saving, the outcome, and the errors at the fields. */
export function useAdminForm() {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [ok, setOk] = useState('');
  const [busy, setBusy] = useState(false);
  // The paths this render's fields asked for: a problem none of them shows is listed above.
  const asked = useRef(new Set<string>());
  asked.current = new Set();
  /** Runs a save; `message` is the i18n key said on success (`false` from fn: nothing saved yet). */
  const run = async (fn: () => Promise<void | false>, message = 'admin.saved') => {
    setBusy(true);
    setError(null);
    setOk('');
    try {
      if ((await fn()) !== false) setOk(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const covers = (field: string, path: string) => path === field || path.startsWith(`${field}.`);
  /**
   * The server's error at a field, by its request-body path (e.g. `locations.0.mpnId`), in the
   * user's language; a problem deeper in the field (`roles.0`) shows at the field.
   */
  const fieldError = (path: string): string | undefined => {
    asked.current.add(path);
    if (!(error instanceof ApiError)) return undefined;
    const all = error.fieldErrors((f) => adminFieldText(f, t));
    return all[path] ?? Object.entries(all).find(([k]) => covers(path, k))?.[1];
  };
  /** The field problems no field of the form shows (listed in the form's message bar). */
  const unshown = (): ProblemField[] =>
    error instanceof ApiError
      ? (error.problem.errors ?? []).filter((e) => ![...asked.current].some((a) => covers(a, dotted(e.path))))
      : [];
  /** The admin edits the form again: the last outcome's message is over (issue 13). */
  const edited = () => {
    if (ok) setOk('');
  };
  return { error, ok, busy, run, fieldError, unshown, edited };
}
export type AdminForm = ReturnType<typeof useAdminForm>;

export function AdminSection<T>(props: {
  /** The table's accessible name. */
  label: string;
  intro?: ReactNode;
  rows: T[] | undefined;
  loading: boolean;
  loadError: unknown;
  rowKey: (row: T) => string;
  columns: Column<T>[];
  /** The buttons of a row (edit, delete, ...). */
  rowActions?: (row: T) => ReactNode;
  formTitle: string;
  form: AdminForm;
  onSubmit: () => void;
  submitLabel: string;
  canSubmit?: boolean;
  /** Shown (as Cancel) while an existing row is being changed. */
  onCancel?: () => void;
  /** More buttons beside Save (e.g. "Add a location"). */
  extraButtons?: ReactNode;
  /** The form's fields. */
  children: ReactNode;
}) {
  const s = useStyles();
  const { t } = useTranslation();
  const { form } = props;
  const unshown = form.unshown();
  return (
    <>
      {props.intro}
      <ProblemBar error={props.loadError} />
      {props.loading && !props.rows ? <Loading /> : null}
      <Table size="small" style={{ tableLayout: 'auto' }} aria-label={props.label}>
        <TableHeader>
          <TableRow>
            {props.columns.map((c) => (
              <TableHeaderCell key={c.id}>{c.header}</TableHeaderCell>
            ))}
            {props.rowActions ? <TableHeaderCell>{t('admin.actions')}</TableHeaderCell> : null}
          </TableRow>
        </TableHeader>
        <TableBody>
          {(props.rows ?? []).map((row) => (
            <TableRow key={props.rowKey(row)}>
              {props.columns.map((c) => (
                <TableCell key={c.id}>{c.cell(row)}</TableCell>
              ))}
              {props.rowActions ? <TableCell>{props.rowActions(row)}</TableCell> : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <form
        className={s.card}
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
        onChange={form.edited}
      >
        <Subtitle2 as="h2">{props.formTitle}</Subtitle2>
        <SuccessBar transient>{form.ok ? t(form.ok) : null}</SuccessBar>
        <ProblemBar error={form.error} />
        {unshown.length ? (
          <ul className={s.muted} data-testid="admin-unshown-errors">
            {unshown.map((e) => (
              <li key={e.path + e.code}>
                {e.path}: {adminFieldText(e, t)}
              </li>
            ))}
          </ul>
        ) : null}
        {props.children}
        <div className={s.row}>
          {props.extraButtons}
          {props.onCancel ? (
            <Button type="button" onClick={props.onCancel}>
              {t('common.cancel')}
            </Button>
          ) : null}
          <Button type="submit" appearance="primary" disabled={form.busy || props.canSubmit === false}>
            {props.submitLabel}
          </Button>
        </div>
      </form>
    </>
  );
}
