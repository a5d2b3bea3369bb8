// Partner: import claims from a CSV file (docs/api.md "Bulk import"). The file is checked
// first (a dry run: every problem by row and column, nothing created); the import, all rows
// or none, is confirmed after. Imported claims are drafts: PoE is added to each before it is
// submitted.
import { useState } from 'react';
import {
  Button,
  Link as FluentLink,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import {
  claimImportTemplateUrl,
  fieldText,
  importClaimsCsv,
  importErrorsOf,
  type ImportReport,
  type ImportRowError,
} from '../../api.js';
import { navigate } from '../../components/router.js';
import { PageTitle, ProblemBar, SuccessBar, useStyles } from '../../components/ui.js';

export default function ImportClaimsPage() {
  const s = useStyles();
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<ImportReport | null>(null);
  const [rowErrors, setRowErrors] = useState<ImportRowError[]>([]);
  const [created, setCreated] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const report = await importClaimsCsv(file, dryRun);
      setRowErrors(report.errors);
      if (dryRun) setChecked(report);
      else {
        setCreated(report.created.length);
        setChecked(null);
      }
    } catch (e) {
      const rows = importErrorsOf(e);
      setChecked(null);
      setRowErrors(rows);
      if (!rows.length) setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={`${s.page} ${s.narrow}`}>
      <PageTitle>{t('import.title')}</PageTitle>
      <Text>{t('import.intro')}</Text>
      <Text>
        <FluentLink href={claimImportTemplateUrl} download data-testid="import-template">
          {t('import.template')}
        </FluentLink>
      </Text>
      <div className={s.col}>
        <label htmlFor="import-file" className={s.legend}>
          {t('import.file')}
        </label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          data-testid="import-file"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setChecked(null);
            setRowErrors([]);
            setCreated(null);
            setError(null);
          }}
        />
      </div>
      <div className={s.row}>
        <Button onClick={() => void run(true)} disabled={!file || busy} data-testid="import-check">
          {t('import.check')}
        </Button>
      </div>
      <ProblemBar error={error} />
      {rowErrors.length > 0 ? (
        <MessageBar intent="error" role="alert" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{t('import.errorsTitle')}</MessageBarTitle>{' '}
            {t('import.errorsFound', { count: new Set(rowErrors.map((r) => r.row)).size })}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {rowErrors.length > 0 ? (
        <Table aria-label={t('import.errorsTitle')} data-testid="import-errors">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('import.row')}</TableHeaderCell>
              <TableHeaderCell>{t('import.column')}</TableHeaderCell>
              <TableHeaderCell>{t('import.problem')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rowErrors.map((r, i) => (
              <TableRow key={i}>
                <TableCell>{r.row}</TableCell>
                <TableCell>
                  <code>{r.field}</code>
                </TableCell>
                <TableCell>{fieldText(r, t)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      ) : null}
      {checked && checked.errors.length === 0 ? (
        <div className={s.card} data-testid="import-ready">
          <Text>{t('import.ready', { count: checked.rows })}</Text>
          <div className={s.row}>
            <Button
              appearance="primary"
              onClick={() => void run(false)}
              disabled={busy}
              data-testid="import-confirm"
            >
              {t('import.confirm', { count: checked.rows })}
            </Button>
          </div>
        </div>
      ) : null}
      {created !== null ? (
        <>
          <SuccessBar>
            <span data-testid="import-done">{t('import.done', { count: created })}</span>
          </SuccessBar>
          <div className={s.row}>
            <Button onClick={() => navigate('/claims?status=draft')} data-testid="import-back">
              {t('import.back')}
            </Button>
          </div>
        </>
      ) : null}
    </div>
  );
}
