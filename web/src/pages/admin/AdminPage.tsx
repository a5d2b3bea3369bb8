// Platform admin: one tab per section (sections.ts), each at /admin/<section>.
import { Tab, TabList } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { navigate } from '../../components/router.js';
import { PageTitle, useStyles } from '../../components/ui.js';
import { SECTIONS } from './sections.js';

export default function AdminPage({ section }: { section: string }) {
  const s = useStyles();
  const { t } = useTranslation();
  const current = SECTIONS.find((x) => x.name === section) ?? SECTIONS[0];
  if (!current) return null;
  const { Component } = current;
  return (
    <div className={s.page}>
      <PageTitle>{t(`admin.${current.name}.title`)}</PageTitle>
      <TabList
        selectedValue={current.name}
        onTabSelect={(_, d) => navigate(`/admin/${String(d.value)}`)}
        aria-label={t('nav.admin')}
      >
        {SECTIONS.map((x) => (
          <Tab key={x.name} value={x.name}>
            {t(`admin.${x.name}.tab`)}
          </Tab>
        ))}
      </TabList>
      <div role="tabpanel" aria-label={t(`admin.${current.name}.title`)} className={s.col}>
        <Component key={current.name} />
      </div>
    </div>
  );
}
