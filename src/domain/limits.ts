// The time limits of domain.md, as the domain reads them. config.ts maps the settings
// (CPOR_*_BUSINESS_DAYS, CPOR_*_WINDOW_DAYS) onto this; the domain never reads the environment.
export interface Limits {
  submittedSlaBusinessDays: number;
  reviewSlaBusinessDays: number;
  partnerResponseBusinessDays: number;
  disputeDecisionBusinessDays: number;
  consentWindowDays: number;
  disputeWindowDays: number;
}
