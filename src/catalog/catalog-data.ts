// The default catalog, loaded into an empty database: the Microsoft 365 workloads
// (associated per tenant + workload) and the Dynamics 365 / Power Platform products
// (associated per subscription), as CPOR names them.
import type { CatalogProduct } from '../domain/claim.js';

const m365 = (id: string, name: string): CatalogProduct => ({
  id,
  name,
  solutionArea: 'microsoft_365',
  scope: 'workload',
  dynamics365: false,
  active: true,
});
const bizapps = (id: string, name: string, dynamics365: boolean): CatalogProduct => ({
  id,
  name,
  solutionArea: 'business_applications',
  scope: 'subscription',
  dynamics365,
  active: true,
});

export const defaultCatalog: CatalogProduct[] = [
  m365('exchange_online', 'Exchange Online'),
  m365('sharepoint_online', 'SharePoint Online'),
  m365('onedrive', 'OneDrive for Business'),
  m365('teams', 'Microsoft Teams'),
  m365('teams_phone', 'Teams Phone'),
  m365('teams_meetings', 'Teams Meetings'),
  m365('microsoft_365_apps', 'Microsoft 365 Apps'),
  m365('intune', 'Microsoft Intune'),
  m365('entra_id_p1', 'Microsoft Entra ID P1'),
  m365('entra_id_p2', 'Microsoft Entra ID P2'),
  m365('defender_for_endpoint', 'Microsoft Defender for Endpoint'),
  m365('defender_for_office_365', 'Microsoft Defender for Office 365'),
  m365('defender_for_identity', 'Microsoft Defender for Identity'),
  m365('defender_for_cloud_apps', 'Microsoft Defender for Cloud Apps'),
  m365('purview_information_protection', 'Microsoft Purview Information Protection'),
  m365('purview_compliance', 'Microsoft Purview Compliance'),
  m365('windows', 'Windows Enterprise'),
  m365('viva', 'Microsoft Viva'),
  bizapps('d365_sales', 'Dynamics 365 Sales', true),
  bizapps('d365_customer_service', 'Dynamics 365 Customer Service', true),
  bizapps('d365_field_service', 'Dynamics 365 Field Service', true),
  bizapps('d365_marketing', 'Dynamics 365 Customer Insights (Marketing)', true),
  bizapps('d365_finance', 'Dynamics 365 Finance', true),
  bizapps('d365_supply_chain', 'Dynamics 365 Supply Chain Management', true),
  bizapps('d365_commerce', 'Dynamics 365 Commerce', true),
  bizapps('d365_human_resources', 'Dynamics 365 Human Resources', true),
  bizapps('d365_project_operations', 'Dynamics 365 Project Operations', true),
  bizapps('d365_business_central', 'Dynamics 365 Business Central', true),
  bizapps('power_bi', 'Power BI', false),
  bizapps('power_apps', 'Power Apps', false),
  bizapps('power_automate', 'Power Automate', false),
  bizapps('power_pages', 'Power Pages', false),
  bizapps('copilot_studio', 'Microsoft Copilot Studio', false),
];
