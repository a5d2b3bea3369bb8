// PoE by drag-and-drop or browse, with the template to download: the wizard's "poe" step
// and the claim page's documents tab both use it.
import { useRef, useState } from 'react';
import { Button, Link as FluentLink, Text, mergeClasses, tokens } from '@fluentui/react-components';
import { useTranslation } from 'react-i18next';
import { api, claimUrl, type Claim, type DocumentInfo } from '../../../api.js';
import { formatBytes } from '../../../i18n/index.js';
import { ProblemBar, useStyles } from '../../../components/ui.js';
import { useWizardStyles } from './styles.js';

export function PoeUpload({
  claim,
  docs,
  onUploaded,
  onRemoved,
  onClaim,
  err,
}: {
  claim: Claim;
  /** The documents listed under the drop zone; none given: the page lists them itself. */
  docs?: DocumentInfo[];
  onUploaded: (d: DocumentInfo) => void;
  /** Given: a draft's documents listed here can be removed (the server keeps them once submitted). */
  onRemoved?: (id: string) => void;
  /** The claim as it is after an upload (its version moved), or reloaded after a 412. */
  onClaim: (c: Claim) => void;
  err?: string;
}) {
  const w = useWizardStyles();
  const s = useStyles();
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const upload = async (files: FileList | File[]) => {
    setBusy(true);
    setError(null);
    try {
      // Each upload names the version it was chosen on (If-Match): a claim someone else
      // changed meanwhile answers 412. Each upload moves the version: read it again.
      let version = claim.version;
      for (const f of Array.from(files)) {
        onUploaded(await api.upload<DocumentInfo>(claimUrl(claim.id, '/documents'), f, { ifMatch: version }));
        const fresh = await api.get<Claim>(claimUrl(claim.id));
        version = fresh.version;
        onClaim(fresh);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (d: DocumentInfo) => {
    setBusy(true);
    setError(null);
    try {
      await api.del(claimUrl(claim.id, `/documents/${encodeURIComponent(d.id)}`), { ifMatch: claim.version });
      onRemoved?.(d.id);
      onClaim(await api.get<Claim>(claimUrl(claim.id)));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const removable = !!onRemoved && claim.status === 'draft';
  const reload = async () => {
    setError(null);
    try {
      onClaim(await api.get<Claim>(claimUrl(claim.id)));
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className={s.col}>
      <Text>{t('wizard.poeIntro')}</Text>
      <div>
        <FluentLink href={claimUrl(claim.id, '/poe-template')} download data-testid="poe-template">
          {t('poe.downloadTemplate')}
        </FluentLink>
      </div>
      <div
        className={mergeClasses(w.drop, over && w.dropActive)}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (e.dataTransfer.files.length) void upload(e.dataTransfer.files);
        }}
      >
        <Text weight="semibold">{t('poe.dropHere')}</Text>
        <Text className={s.muted}>{t('poe.or')}</Text>
        <Button type="button" onClick={() => input.current?.click()} disabled={busy}>
          {t('poe.browse')}
        </Button>
        <input
          ref={input}
          type="file"
          multiple
          className={w.hidden}
          aria-label={t('poe.browse')}
          data-testid="poe-input"
          onChange={(e) => {
            if (e.target.files?.length) void upload(e.target.files);
            e.target.value = '';
          }}
        />
        {busy ? <Text>{t('poe.uploading')}</Text> : null}
      </div>
      {err ? (
        <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>
          {err}
        </Text>
      ) : null}
      <ProblemBar error={error} onReload={() => void reload()} />
      {docs === undefined ? null : docs.length ? (
        <ul aria-label={t('poe.uploaded')} data-testid="poe-list" className={w.docList}>
          {docs.map((d) => (
            <li key={d.id} className={w.docItem}>
              <span className={w.docName}>
                {d.fileName} ({formatBytes(d.size)})
              </span>
              {removable ? (
                <Button
                  type="button"
                  size="small"
                  disabled={busy}
                  onClick={() => void remove(d)}
                  aria-label={t('wizard.removeDocument', { name: d.fileName })}
                  data-testid="poe-remove"
                >
                  {t('wizard.remove')}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <Text className={s.muted}>{t('poe.none')}</Text>
      )}
    </div>
  );
}
