// R-POE-1: the words of the PoE template in each language it is written in. Words from
// docs/glossary.md where it has them. The mail's words are in src/notifications/mail-text.ts.
import { languages, type Language } from '../domain/languages.js';

export const templateLanguages = languages;
export type TemplateLanguage = Language;

export type Labels = Record<
  | 'title'
  | 'intro'
  | 'claim'
  | 'partner'
  | 'mpnId'
  | 'location'
  | 'customer'
  | 'domain'
  | 'tenantId'
  | 'solutionArea'
  | 'activity'
  | 'products'
  | 'subscription'
  | 'customerContact'
  | 'technicalContact'
  | 'partnerContact'
  | 'solutionSeller'
  | 'customerName'
  | 'isvSolution'
  | 'dates'
  | 'claimCreated'
  | 'claimSubmitted'
  | 'generated'
  | 'workStart'
  | 'workEnd'
  | 'workDone'
  | 'workDoneHelp'
  | 'signature'
  | 'signatureHelp'
  | 'name'
  | 'jobTitle'
  | 'signed'
  | 'date'
  | 'microsoft_365'
  | 'business_applications'
  | 'pre_sales'
  | 'usage'
  | 'pre_sales_and_usage'
  | 'revenue_association',
  string
>;

export const templateLabels: Record<TemplateLanguage, Labels> = {
  en: {
    title: 'Proof of execution (PoE)',
    intro:
      'Statement of the work the partner did for the customer, signed by the customer. Upload it to the claim as PoE.',
    claim: 'Claim',
    partner: 'Partner',
    mpnId: 'MPN ID',
    location: 'Partner location',
    customer: 'Customer',
    domain: 'Domain name',
    tenantId: 'Tenant ID',
    solutionArea: 'Solution area',
    activity: 'Activity',
    products: 'Products',
    subscription: 'Subscription ID',
    customerContact: 'Customer contact',
    technicalContact: 'Technical contact',
    partnerContact: 'Partner contact',
    solutionSeller: 'Dynamics solution seller',
    customerName: 'Customer name',
    isvSolution: 'ISV product / solution',
    dates: 'Dates',
    claimCreated: 'Claim created',
    claimSubmitted: 'Claim submitted',
    generated: 'Template generated',
    workStart: 'Work started',
    workEnd: 'Work completed',
    workDone: 'The work done',
    workDoneHelp:
      'Describe what the partner did for the customer with each product above (deployment, migration, adoption, pre-sales workshops...).',
    signature: 'Customer signature',
    signatureHelp: 'By signing, the customer confirms that the partner did the work described above.',
    name: 'Name',
    jobTitle: 'Title',
    signed: 'Signature',
    date: 'Date',
    microsoft_365: 'Microsoft 365',
    business_applications: 'Business Applications',
    pre_sales: 'Pre-sales',
    usage: 'Usage',
    pre_sales_and_usage: 'Pre-sales and usage',
    revenue_association: 'Revenue association',
  },
  'pt-BR': {
    title: 'Prova de execução (PoE)',
    intro:
      'Descrição do trabalho que o parceiro realizou para o cliente, assinada pelo cliente. Carregue-a na declaração como PoE.',
    claim: 'Declaração',
    partner: 'Parceiro',
    mpnId: 'ID de MPN',
    location: 'Local do parceiro',
    customer: 'Cliente',
    domain: 'Nome de domínio',
    tenantId: 'ID de locatário',
    solutionArea: 'Área da solução',
    activity: 'Atividade',
    products: 'Produtos',
    subscription: 'ID da assinatura',
    customerContact: 'Contato do cliente',
    technicalContact: 'Contato técnico',
    partnerContact: 'Contato do parceiro',
    solutionSeller: 'Vendedor da solução Dynamics',
    customerName: 'Nome do cliente',
    isvSolution: 'Produto / solução ISV',
    dates: 'Datas',
    claimCreated: 'Declaração criada',
    claimSubmitted: 'Declaração enviada',
    generated: 'Modelo gerado',
    workStart: 'Início do trabalho',
    workEnd: 'Conclusão do trabalho',
    workDone: 'Trabalho realizado',
    workDoneHelp:
      'Descreva o que o parceiro fez para o cliente com cada produto acima (implantação, migração, adoção, workshops de pré-vendas...).',
    signature: 'Assinatura do cliente',
    signatureHelp: 'Ao assinar, o cliente confirma que o parceiro realizou o trabalho descrito acima.',
    name: 'Nome',
    jobTitle: 'Cargo',
    signed: 'Assinatura',
    date: 'Data',
    microsoft_365: 'Microsoft 365',
    business_applications: 'Business Applications',
    pre_sales: 'Pré-vendas',
    usage: 'Uso',
    pre_sales_and_usage: 'Pré-vendas e uso',
    revenue_association: 'Associação de receita',
  },
  'es-ES': {
    title: 'Prueba de ejecución (PoE)',
    intro:
      'Descripción del trabajo que el partner realizó para el cliente, firmada por el cliente. Cárguela en la reclamación como PoE.',
    claim: 'Reclamación',
    partner: 'Partner',
    mpnId: 'Id. de MPN',
    location: 'Ubicación del partner',
    customer: 'Cliente',
    domain: 'Nombre de dominio',
    tenantId: 'Id. de inquilino',
    solutionArea: 'Área de solución',
    activity: 'Actividad',
    products: 'Productos',
    subscription: 'Id. de suscripción',
    customerContact: 'Contacto del cliente',
    technicalContact: 'Contacto técnico',
    partnerContact: 'Contacto del partner',
    solutionSeller: 'Vendedor de la solución Dynamics',
    customerName: 'Nombre del cliente',
    isvSolution: 'Producto / solución ISV',
    dates: 'Fechas',
    claimCreated: 'Reclamación creada',
    claimSubmitted: 'Reclamación enviada',
    generated: 'Plantilla generada',
    workStart: 'Inicio del trabajo',
    workEnd: 'Fin del trabajo',
    workDone: 'Trabajo realizado',
    workDoneHelp:
      'Describa lo que el partner hizo para el cliente con cada producto anterior (implementación, migración, adopción, talleres de preventa...).',
    signature: 'Firma del cliente',
    signatureHelp: 'Con su firma, el cliente confirma que el partner realizó el trabajo descrito arriba.',
    name: 'Nombre',
    jobTitle: 'Cargo',
    signed: 'Firma',
    date: 'Fecha',
    microsoft_365: 'Microsoft 365',
    business_applications: 'Business Applications',
    pre_sales: 'Preventa',
    usage: 'Uso',
    pre_sales_and_usage: 'Preventa y uso',
    revenue_association: 'Asociación de ingresos',
  },
  'zh-CN': {
    title: '执行证明 (PoE)',
    intro: '合作伙伴为客户所完成工作的说明，由客户签字。请将其作为 PoE 上传到声明。',
    claim: '声明',
    partner: '合作伙伴',
    mpnId: 'MPN ID',
    location: '合作伙伴地点',
    customer: '客户',
    domain: '域名',
    tenantId: '租户 ID',
    solutionArea: '解决方案区域',
    activity: '活动',
    products: '产品',
    subscription: '订阅 ID',
    customerContact: '客户联系人',
    technicalContact: '技术联系人',
    partnerContact: '合作伙伴联系人',
    solutionSeller: 'Dynamics 解决方案销售商',
    customerName: '客户名称',
    isvSolution: 'ISV 产品 / 解决方案',
    dates: '日期',
    claimCreated: '声明创建日期',
    claimSubmitted: '声明提交日期',
    generated: '模板生成日期',
    workStart: '工作开始日期',
    workEnd: '工作完成日期',
    workDone: '所完成的工作',
    workDoneHelp: '请描述合作伙伴使用上述每个产品为客户完成的工作（部署、迁移、采用、售前研讨会等）。',
    signature: '客户签字',
    signatureHelp: '客户签字即确认合作伙伴已完成上述工作。',
    name: '姓名',
    jobTitle: '职务',
    signed: '签字',
    date: '日期',
    microsoft_365: 'Microsoft 365',
    business_applications: 'Business Applications',
    pre_sales: '售前',
    usage: '使用情况',
    pre_sales_and_usage: '售前和使用情况',
    revenue_association: '收入关联',
  },
  'zh-TW': {
    title: '執行證明 (PoE)',
    intro: '合作夥伴為客戶所完成工作的說明，由客戶簽署。請將其作為 PoE 上傳至宣告。',
    claim: '宣告',
    partner: '合作夥伴',
    mpnId: 'MPN 識別碼',
    location: '合作夥伴地點',
    customer: '客戶',
    domain: '網域名稱',
    tenantId: '租用戶識別碼',
    solutionArea: '解決方案領域',
    activity: '活動',
    products: '產品',
    subscription: '訂用帳戶識別碼',
    customerContact: '客戶連絡人',
    technicalContact: '技術連絡人',
    partnerContact: '合作夥伴連絡人',
    solutionSeller: 'Dynamics 解決方案銷售者',
    customerName: '客戶名稱',
    isvSolution: 'ISV 產品 / 解決方案',
    dates: '日期',
    claimCreated: '宣告建立日期',
    claimSubmitted: '宣告提交日期',
    generated: '範本產生日期',
    workStart: '工作開始日期',
    workEnd: '工作完成日期',
    workDone: '已完成的工作',
    workDoneHelp: '請描述合作夥伴使用上述各項產品為客戶完成的工作（部署、移轉、採用、售前研討會等）。',
    signature: '客戶簽署',
    signatureHelp: '客戶簽署即確認合作夥伴已完成上述工作。',
    name: '姓名',
    jobTitle: '職稱',
    signed: '簽名',
    date: '日期',
    microsoft_365: 'Microsoft 365',
    business_applications: 'Business Applications',
    pre_sales: '售前',
    usage: '使用量',
    pre_sales_and_usage: '售前與使用量',
    revenue_association: '收益關聯',
  },
};

/** The organization's language, or English when it has none or one the template lacks. */
export function templateLanguageOf(language: string | null | undefined): TemplateLanguage {
  const found = templateLanguages.find((l) => l.toLowerCase() === (language ?? '').toLowerCase());
  if (found) return found;
  const prefix = (language ?? '').slice(0, 2).toLowerCase();
  if (prefix === 'pt') return 'pt-BR';
  if (prefix === 'es') return 'es-ES';
  return 'en';
}
