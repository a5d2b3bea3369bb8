// "Discard draft": a draft the partner no longer wants. A claim is never erased: its history
// is append-only (R-HIST-1) and holds the draft's creation, so discarding withdraws it
// (R-REJ-2, `partner_request`, the one way the rules let a partner drop its own claim) after
// a confirmation that says so. Its workloads were never held, so nothing else changes.
import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
} from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, claimUrl, type Claim } from '../../../api.js';
import { navigate } from '../../../components/router.js';
import { ProblemBar } from '../../../components/ui.js';

export function DiscardDraft({ claim }: { claim: Claim }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const discard = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(
        claimUrl(claim.id, '/withdraw'),
        { comment: t('wizard.discardComment') },
        {
          ifMatch: claim.version,
        },
      );
      setOpen(false);
      navigate('/claims');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} onOpenChange={(_, d) => setOpen(d.open)}>
      <DialogTrigger disableButtonEnhancement>
        <Button appearance="secondary" data-testid="discard-draft">
          {t('wizard.discard')}
        </Button>
      </DialogTrigger>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{t('wizard.discardTitle', { name: claim.name ?? '' })}</DialogTitle>
          <DialogContent>
            <p>{t('wizard.discardText')}</p>
            <ProblemBar error={error} />
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="secondary">{t('common.cancel')}</Button>
            </DialogTrigger>
            <Button
              appearance="primary"
              disabled={busy}
              onClick={() => void discard()}
              data-testid="discard-confirm"
            >
              {t('wizard.discardConfirm')}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
