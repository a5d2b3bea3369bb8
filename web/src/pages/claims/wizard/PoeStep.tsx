// Step "poe": at least one proof of execution document before submitting (R-SUB-1); a
// draft's documents can be removed again (R-POE-2 keeps them only once submitted).
import { PoeUpload } from './PoeUpload.js';
import type { StepProps } from './types.js';

export function PoeStep({ claim, setClaim, docs, setDocs, err }: StepProps) {
  if (!claim) return null;
  return (
    <PoeUpload
      claim={claim}
      docs={docs}
      onUploaded={(d) => setDocs((x) => [...x, d])}
      onRemoved={(id) => setDocs((x) => x.filter((d) => d.id !== id))}
      onClaim={setClaim}
      err={err('documents')}
    />
  );
}
