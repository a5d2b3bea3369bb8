// Step "poe": at least one proof of execution document before submitting (R-SUB-1).
import { PoeUpload } from './PoeUpload.js';
import type { StepProps } from './types.js';

export function PoeStep({ claim, setClaim, docs, setDocs, err }: StepProps) {
  if (!claim) return null;
  return (
    <PoeUpload
      claim={claim}
      docs={docs}
      onUploaded={(d) => setDocs((x) => [...x, d])}
      onClaim={setClaim}
      err={err('documents')}
    />
  );
}
