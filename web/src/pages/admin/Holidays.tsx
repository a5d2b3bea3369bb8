// The holidays of the business calendar (business days skip weekends and these). Before a
// new holiday moves running deadlines, the page says how many and asks to confirm (issue 13
// point 10: the server counts them, GET /holidays/impact).
import { useState } from 'react';
import {
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Text,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, qs, type Holiday, type Schema } from '../../api.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { formatDay } from '../../i18n/index.js';
import { useLoad, useStyles } from '../../components/ui.js';
import { AdminSection, useAdminForm } from './AdminSection.js';

export function Holidays() {
  const s = useStyles();
  const { t } = useTranslation();
  const q = useLoad(async () => {
    const r = await api.get<{ items: Holiday[] } | Holiday[]>('/api/v1/holidays');
    return (Array.isArray(r) ? r : r.items).sort((a, b) => a.date.localeCompare(b.date));
  }, []);
  const form = useAdminForm();
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  /** What the holiday asked for would move, waiting for the admin's confirmation. */
  const [impact, setImpact] = useState<Schema<'HolidayImpact'> | null>(null);
  /** The holiday whose removal waits for a confirmation. */
  const [removing, setRemoving] = useState<Holiday | null>(null);
  const add = (confirmed: boolean) =>
    void form.run(async () => {
      setImpact(null);
      if (!confirmed) {
        const found = await api.get<Schema<'HolidayImpact'>>(`/api/v1/holidays/impact${qs({ date })}`);
        if (found.movedDeadlines > 0) {
          setImpact(found);
          return false;
        }
      }
      await api.post('/api/v1/holidays', { date, name: name.trim() });
      setDate('');
      setName('');
      await q.reload();
    });
  const remove = (d: string) =>
    void form.run(async () => {
      setRemoving(null);
      await api.del(`/api/v1/holidays/${d}`);
      await q.reload();
    }, 'admin.deleted');
  return (
    <AdminSection
      label={t('admin.holidays.title')}
      intro={
        <>
          <Text>{t('admin.holidays.help')}</Text>
          <ConfirmDialog
            open={removing !== null}
            title={t('admin.holidays.delete', { name: removing?.name ?? '' })}
            confirmLabel={t('admin.delete')}
            onConfirm={() => removing && remove(removing.date)}
            onCancel={() => setRemoving(null)}
            testId="confirm-remove-holiday"
          >
            {t('admin.holidays.confirmRemove', {
              name: removing?.name ?? '',
              date: removing ? formatDay(removing.date) : '',
            })}
          </ConfirmDialog>
          {impact ? (
            <MessageBar intent="warning" layout="multiline" data-testid="holiday-impact">
              <MessageBarBody>
                {t('admin.holidays.moves', { count: impact.movedDeadlines, claims: impact.claims })}
              </MessageBarBody>
              <MessageBarActions>
                <Button appearance="primary" onClick={() => add(true)}>
                  {t('admin.holidays.addAnyway')}
                </Button>
                <Button onClick={() => setImpact(null)}>{t('common.cancel')}</Button>
              </MessageBarActions>
            </MessageBar>
          ) : null}
        </>
      }
      rows={q.data}
      loading={q.loading}
      loadError={q.error}
      rowKey={(h) => h.date}
      columns={[
        { id: 'date', header: t('admin.holidays.date'), cell: (h) => formatDay(h.date) },
        { id: 'name', header: t('admin.name'), cell: (h) => h.name },
      ]}
      rowActions={(h) => (
        <Button
          size="small"
          onClick={() => setRemoving(h)}
          aria-label={t('admin.holidays.delete', { name: h.name })}
        >
          {t('admin.delete')}
        </Button>
      )}
      formTitle={t('admin.holidays.add')}
      form={form}
      onSubmit={() => add(false)}
      submitLabel={t('admin.create')}
      canSubmit={!!date && !!name.trim()}
    >
      <div className={s.row}>
        <Field label={t('admin.holidays.date')} required validationMessage={form.fieldError('date')}>
          <Input type="date" value={date} onChange={(_, d) => setDate(d.value)} />
        </Field>
        <Field
          label={t('admin.name')}
          required
          className={s.field}
          validationMessage={form.fieldError('name')}
        >
          <Input value={name} onChange={(_, d) => setName(d.value)} />
        </Field>
      </div>
    </AdminSection>
  );
}
