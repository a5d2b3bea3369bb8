// What every step of the wizard is given: the form, the claim once it exists, and the
// helpers to change the form and read its errors.
import type { Catalog, Claim, DocumentInfo, Location } from '../../../api.js';
import type { ClaimForm, StepName } from './claimForm.js';

/** Field groups that lock after submission (R-EDIT-2). */
export type FieldGroup = 'mpnId' | 'customer' | 'area' | 'name' | 'revenue' | 'products' | 'contacts';

export interface StepProps {
  form: ClaimForm;
  catalog: Catalog | undefined;
  locations: Location[];
  update: (fn: (f: ClaimForm) => void) => void;
  /** The error shown at a field, by its API body path, translated. */
  err: (path: string) => string | undefined;
  locked: (group: FieldGroup) => boolean;
  /** The claim, once the draft exists. */
  claim: Claim | null;
  /** The claim changed (a document added moves its version). */
  setClaim: (c: Claim) => void;
  docs: DocumentInfo[];
  setDocs: (fn: (d: DocumentInfo[]) => DocumentInfo[]) => void;
  comment: string;
  setComment: (text: string) => void;
  /** The steps whose fields are complete (the review lists the others). */
  done: Set<StepName>;
  /** The steps of the fields the server's check says submit would still refuse. */
  serverMissing: StepName[];
  /** Opens another step (what this one changed is saved first). */
  goTo: (step: StepName) => void;
}
