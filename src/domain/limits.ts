// The time limits of domain.md, as the domain reads them. config.ts maps the settings
// (CPOR_*_BUSINESS_DAYS, CPOR_*_WINDOW_DAYS) onto this; the domain never reads the environment.
export interface Limits {
  submittedSlaBusinessDays: number;
  reviewSlaBusinessDays: number;
  partnerResponseBusinessDays: number;
  disputeDecisionBusinessDays: number;
  /** R-TIME-7: the whole review, submission to decision, less the partner's time. */
  decisionTargetBusinessDays: number;
  consentWindowDays: number;
  disputeWindowDays: number;
}
