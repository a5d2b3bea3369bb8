// Step "comments": an optional comment for the reviewer, then submit.
import { Field, Textarea } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import type { StepProps } from './types.js';

export function CommentsStep({ comment, setComment }: StepProps) {
  const { t } = useTranslation();
  return (
    <Field label={t('wizard.commentLabel')} hint={t('wizard.commentHint')}>
      <Textarea value={comment} onChange={(_, d) => setComment(d.value)} resize="vertical" rows={4} />
    </Field>
  );
}
