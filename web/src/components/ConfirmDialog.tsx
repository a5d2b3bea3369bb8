// A question before a change that is hard to take back (issue 13: removing a holiday,
// disabling a user, an organization or a location): a modal dialog that says what will happen,
// with Cancel (the default: Escape and the close of the dialog) and the change's own verb.
import type { ReactNode } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';

export function ConfirmDialog(props: {
  /** Open while there is something to confirm. */
  open: boolean;
  title: string;
  /** What will happen, in plain words. */
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Dialog
      open={props.open}
      modalType="alert"
      onOpenChange={(_, d) => (d.open ? undefined : props.onCancel())}
    >
      <DialogSurface data-testid={props.testId}>
        <DialogBody>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogContent>{props.children}</DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={props.onCancel}>
              {t('common.cancel')}
            </Button>
            <Button appearance="primary" onClick={props.onConfirm}>
              {props.confirmLabel}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
