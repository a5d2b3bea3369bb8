// The one shape of every administration section: a table of what exists (with each row's
// buttons) above the form that adds or changes one. Each section (a file of its own, listed
// in sections.ts) gives its columns, its form's fields and what saving does.
import { useState, type ReactNode } from 'react';
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
import { ApiError } from '../../api.js';
import { Loading, ProblemBar, SuccessBar, useStyles } from '../../components/ui.js';

export interface Column<T> {
  id: string;
  header: string;
  cell: (row: T) => ReactNode;
}

/** A section's form state: busy while saving, the outcome, and the errors at the fields. */
export function useAdminForm() {
  const [error, setError] = useState<unknown>(null);
  const [ok, setOk] = useState('');
  const [busy, setBusy] = useState(false);
  /** Runs a save; `message` is the i18n key said on success. */
  const run = async (fn: () => Promise<void>, message = 'admin.saved') => {
    setBusy(true);
    setError(null);
    setOk('');
    try {
      await fn();
      setOk(message);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  /** The server's error at a field, by its request-body path (e.g. `locations.0.mpnId`). */
  const fieldError = (path: string): string | undefined =>
    error instanceof ApiError ? error.fieldErrors()[path] : undefined;
  return { error, ok, busy, run, fieldError };
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
      >
        <Subtitle2 as="h2">{props.formTitle}</Subtitle2>
        <SuccessBar>{form.ok ? t(form.ok) : null}</SuccessBar>
        <ProblemBar error={form.error} />
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
