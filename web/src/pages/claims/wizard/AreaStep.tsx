// Step "area": the solution area and the activity, each activity explained where it is
// chosen; changing the area clears the products.
import { Field, Radio, RadioGroup, Text, mergeClasses } from '@fluentui/react-components';
import { useStyles } from '../../../components/ui.js';
import { useWizardStyles } from './styles.js';
import { useTranslation } from 'react-i18next';
import type { StepProps } from './types.js';

export function AreaStep({ form, catalog, update, err, locked }: StepProps) {
  const s = useStyles();
  const w = useWizardStyles();
  const { t } = useTranslation();
  const activities = catalog?.solutionAreas.find((a) => a.id === form.solutionArea)?.activities ?? [];
  return (
    <>
      <Field label={t('claim.solutionArea')} required validationMessage={err('solutionArea')}>
        <RadioGroup
          value={form.solutionArea}
          disabled={locked('area')}
          onChange={(_, d) =>
            update((f) => {
              if (f.solutionArea !== d.value) {
                f.products = [];
                f.activity = '';
              }
              f.solutionArea = d.value;
            })
          }
        >
          {(catalog?.solutionAreas ?? []).map((a) => (
            <Radio key={a.id} value={a.id} label={t(`solutionArea.${a.id}`)} />
          ))}
        </RadioGroup>
      </Field>
      {form.solutionArea ? (
        <Field label={t('claim.activity')} required validationMessage={err('activity')}>
          <RadioGroup
            value={form.activity}
            disabled={locked('area')}
            onChange={(_, d) => update((f) => void (f.activity = d.value))}
          >
            {activities.map((a) => (
              <div key={a}>
                <Radio value={a} label={t(`activity.${a}`)} aria-describedby={`activity-help-${a}`} />
                <Text
                  block
                  size={200}
                  id={`activity-help-${a}`}
                  className={mergeClasses(s.muted, w.radioHelp)}
                >
                  {t(`wizard.activityHelp.${a}`)}
                </Text>
              </div>
            ))}
          </RadioGroup>
        </Field>
      ) : null}
    </>
  );
}
