// R-POE-1: the PoE template, filled in with the claim, in the claim's language (the
// organization's `language`). The partner completes the work done and the dates, the
// customer signs, and the partner uploads it as PoE. This file holds what the template says;
// poe-template-docx.ts and poe-template-pdf.ts draw it, poe-template-labels.ts has its words.
import type { Labels } from './poe-template-labels.js';

/** The claim as the template shows it: plain strings, already resolved (product names, org). */
export interface TemplateData {
  claimId: string;
  claimName: string | null;
  partnerName: string;
  mpnId: string | null;
  locationName: string | null;
  customerDomain: string | null;
  tenantId: string | null;
  solutionArea: string | null;
  activity: string | null;
  products: { name: string; subscriptionId: string | null }[];
  customerContact: { name: string; title?: string; email: string } | null;
  technicalContact: { name: string; title?: string; email: string } | null;
  partnerContact: { name: string; email: string } | null;
  revenue: { solutionSellerName: string; customerName: string; isvSolutionName: string } | null;
  createdAt: Date;
  submittedAt: Date | null;
  generatedAt: Date;
}

export const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '');
export const blank = '____________________';

export interface Section {
  heading: string;
  rows: [string, string][];
}

/** The template's content, independent of the format: both formats draw the same sections. */
export function sectionsOf(d: TemplateData, L: Labels): Section[] {
  const contact = (c: { name: string; title?: string; email: string } | null) =>
    c ? [c.name, c.title, c.email].filter(Boolean).join(', ') : '';
  const label = (key: string | null) => (key && key in L ? L[key as keyof Labels] : (key ?? ''));
  const sections: Section[] = [
    {
      heading: L.partner,
      rows: [
        [L.partner, d.partnerName],
        [L.mpnId, d.mpnId ?? ''],
        [L.location, d.locationName ?? ''],
        [L.partnerContact, contact(d.partnerContact ? { ...d.partnerContact } : null)],
      ],
    },
    {
      heading: L.customer,
      rows: [
        [L.domain, d.customerDomain ?? ''],
        [L.tenantId, d.tenantId ?? ''],
        [L.customerContact, contact(d.customerContact)],
        ...(d.technicalContact
          ? [[L.technicalContact, contact(d.technicalContact)] as [string, string]]
          : []),
      ],
    },
    {
      heading: L.claim,
      rows: [
        [L.claim, d.claimName ?? ''],
        [L.solutionArea, label(d.solutionArea)],
        [L.activity, label(d.activity)],
        ...(d.revenue
          ? ([
              [L.solutionSeller, d.revenue.solutionSellerName],
              [L.customerName, d.revenue.customerName],
              [L.isvSolution, d.revenue.isvSolutionName],
            ] as [string, string][])
          : []),
      ],
    },
    {
      heading: L.products,
      rows: d.products.map(
        (p) => [p.name, p.subscriptionId ? `${L.subscription}: ${p.subscriptionId}` : ''] as [string, string],
      ),
    },
    {
      heading: L.dates,
      rows: [
        [L.claimCreated, day(d.createdAt)],
        ...(d.submittedAt ? [[L.claimSubmitted, day(d.submittedAt)] as [string, string]] : []),
        [L.generated, day(d.generatedAt)],
        [L.workStart, blank],
        [L.workEnd, blank],
      ],
    },
  ];
  return sections;
}
